package dev.gearbox.server;

import dev.gearbox.config.ConfigException;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesException;
import dev.gearbox.routing.RulesText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * {@code validate [RULES_DIR] [--config FILE]}: the verdict a gateway would give on a rules directory, as an
 * exit code. It judges against the config that gateway would run with (the same {@code --config}, else
 * {@code GEARBOX_CONFIG}, else the embedded default), so a route to models no configured provider serves is
 * refused here as it is at start-up, and it says which config that was.
 */
final class ValidateCommand {

    static final String USAGE = """
            Usage: java -jar gearbox.jar validate [RULES_DIR] [--config FILE]

            Checks a routing rules directory (default routing-rules/) as a running gateway checks it before
            applying it, against the gateway config it would run with: --config FILE, else GEARBOX_CONFIG,
            else the embedded default (the simulated models only). A route none of whose models has a
            configured provider is refused. Exits 0 when valid, 1 when not, 2 on a usage error.
            """;

    private ValidateCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String directory = RoutingRules.DEFAULT_DIRECTORY;
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.print(USAGE);
                return 0;
            } else if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = args[++i];
            } else if (args[i].startsWith("-")) {
                err.println("gearbox validate: unknown argument '" + args[i] + "'");
                err.print(USAGE);
                return 2;
            } else {
                directory = args[i];
            }
        }
        if (configFile == null && env.get("GEARBOX_CONFIG") != null && !env.get("GEARBOX_CONFIG").isBlank()) {
            configFile = env.get("GEARBOX_CONFIG");
        }
        String against = configFile == null ? "the embedded default config (simulated models only; --config FILE for yours)"
                : "config " + configFile;
        try {
            ConfigLoader loader = ConfigLoader.of(env);
            GearboxConfig config = configFile == null ? loader.embeddedDefault() : loader.load(Path.of(configFile));
            RoutingTable table = RulesCompiler.forGateway(config, Clock.systemUTC()).compile(RulesText.read(Path.of(directory)));
            out.println(directory + ": valid (version " + table.version() + ", " + table.rules().size() + " routes, "
                    + table.catalog().models().size() + " models) against " + against);
            return 0;
        } catch (RulesException e) {
            err.println(directory + ": invalid, " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + ":");
            e.problems().forEach(p -> err.println("  " + p));
            err.println("(judged against " + against + ")");
            return 1;
        } catch (ConfigException e) {
            err.println("gearbox validate: invalid config: " + e.getMessage());
            return 1;
        }
    }
}
