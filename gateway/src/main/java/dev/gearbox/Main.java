package dev.gearbox;

import dev.gearbox.config.ConfigException;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
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
                   java -jar gearbox.jar --help

            Gearbox is an OpenAI-compatible LLM gateway. With no config it serves built-in simulated
            models (sim-cheap, sim-reasoning, sim-embed; aliases auto, cheap, reasoning) on port 8080.

            Options:
              --config FILE   gateway config (YAML); also GEARBOX_CONFIG. Secrets as ${ENV_VAR}.
              --port N        listen on port N instead of the configured one (0 picks a free port)
              --help          print this text
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
            Runtime.getRuntime().addShutdownHook(new Thread(gearbox::close, "gearbox-shutdown"));
            log.info("Gearbox listening on http://{}:{} with models {} and aliases {}", config.server().host(),
                    gearbox.port(), config.models().stream().map(m -> m.id()).toList(), config.aliases().keySet());
            return 0;
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
