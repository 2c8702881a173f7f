package dev.gearbox.server;

import dev.gearbox.config.ConfigException;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line: {@code java -jar gearbox.jar [--config FILE] [--port N]}. */
public final class Main {

    static final String USAGE = """
            Usage: java -jar gearbox.jar [--config FILE] [--port N]
                   java -jar gearbox.jar validate [RULES_DIR] [--config FILE]
                   java -jar gearbox.jar route RULES_DIR PROMPTS.jsonl
                   java -jar gearbox.jar route --compare OLD_DIR NEW_DIR TRAFFIC.jsonl
                   java -jar gearbox.jar train-router [--data FILE ...] [--labels FILE ...] --out FILE
                   java -jar gearbox.jar --help | --version
                   java -jar gearbox.jar COMMAND --help

            Gearbox is an OpenAI-compatible LLM gateway. With no config it serves built-in simulated
            models (sim-cheap, sim-reasoning, sim-embed, sim-moderation; aliases auto, cheap, reasoning) on
            port 8080.

            Options:
              --config FILE   gateway config (YAML); also GEARBOX_CONFIG. Secrets as ${ENV_VAR}.
              --port N        listen on port N instead of the configured one (0 picks a free port)
              --help          print this text
              --version       print the version

            validate checks a routing rules directory (default routing-rules/) as a running gateway
            would before applying it, against the config that gateway would run with (--config FILE,
            else GEARBOX_CONFIG, else the embedded default), and exits 0 when it is valid, 1 when not.

            route replays prompts ({"id", "prompt"} per line) through routing rules offline and prints
            one decision per line ({"id", "route": strong|weak, "rule", "tier", "model", "difficulty"}).
            With --compare it routes the same traffic through two directories and prints how many
            requests change tier or model, the tier shares and the estimated cost before and after.

            train-router trains the reasoning-need score from labelled prompts and prompts with a strong
            model's measured gain (--data shipped is the corpus of the shipped weights), and from a gateway's
            own verdicts and feedback (--labels, the lines of GET /admin/quality/labels), prints the
            cross-validated figures and writes the weights; with --labels only if they are no worse than
            the current ones (--force to write them anyway).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line; returns the exit code, or 0 once the gateway is serving. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println("gearbox " + Version.current());
            return 0;
        }
        if (args.length > 0 && args[0].equals("validate")) {
            return ValidateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        if (args.length > 0 && args[0].equals("train-router")) {
            return TrainRouterCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("route")) {
            try {
                return RouteCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
            } catch (RulesException e) {
                err.println("gearbox route: invalid routing rules:\n" + e.getMessage());
                return 1;
            }
        }
        Optional<Arguments> parsed;
        try {
            parsed = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("gearbox: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (parsed.isEmpty()) {
            out.print(USAGE);
            return 0;
        }
        Arguments arguments = parsed.get();
        GearboxConfig config;
        try {
            ConfigLoader loader = ConfigLoader.of(env);
            String file = arguments.config() != null ? arguments.config() : env.get("GEARBOX_CONFIG");
            config = file == null || file.isBlank() ? loader.embeddedDefault() : loader.load(Path.of(file));
            if (arguments.port() != null) {
                config = config.withPort(arguments.port());
            }
        } catch (ConfigException e) {
            err.println("gearbox: invalid config: " + e.getMessage());
            return 1;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        try {
            Gearbox gearbox = Gearbox.start(config, Clock.systemUTC()).await();
            long drainMs = config.server().drainTimeoutMs();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("Gearbox shutting down: draining requests in flight for up to {} ms", drainMs);
                gearbox.close();
                log.info("Gearbox stopped");
            }, "gearbox-shutdown"));
            RoutingTable table = gearbox.rules().current();
            log.info("Gearbox listening on http://{}:{} ({}); routing rules {} from {}; aliases {}; {}; state {}",
                    config.server().host(), gearbox.port(), gearbox.vertx().isNativeTransportEnabled() ? "epoll" : "nio",
                    table.version(), table.source(), table.catalog().routeAliases(),
                    config.server().adminToken() == null ? "admin API on loopback only (no admin_token)"
                            : "admin API needs the admin token",
                    config.state().redis() != null ? "in redis " + config.state().redis().describe() + " ("
                            + config.state().redis().onUnavailable().name().toLowerCase(java.util.Locale.ROOT) + ", "
                            + config.state().accounting().wireName() + ")"
                            : config.state().file() != null ? "in " + config.state().file() : "in memory");
            return 0;
        } catch (RulesException e) {
            err.println("gearbox: invalid routing rules:\n" + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("gearbox: could not start: " + e.getMessage());
            return 1;
        }
    }

    /** Parsed command-line options. */
    record Arguments(String config, Integer port) {

        /** The options, or empty when help was asked for. */
        static Optional<Arguments> parse(String[] args) {
            String config = null;
            Integer port = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        return Optional.empty();
                    }
                    case "--config" -> config = value(args, ++i, "--config");
                    case "--port" -> {
                        String value = value(args, ++i, "--port");
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--port: '" + value + "' (expected: a number 0..65535)");
                        }
                        if (port < 0 || port > 65535) {
                            throw new IllegalArgumentException("--port: " + port + " (expected: 0..65535)");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return Optional.of(new Arguments(config, port));
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + ": missing value");
            }
            return args[i];
        }
    }
}
