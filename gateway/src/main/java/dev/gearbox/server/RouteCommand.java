package dev.gearbox.server;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import dev.gearbox.routing.ScoreReasons;
import dev.gearbox.routing.replay.Comparison;
import dev.gearbox.routing.replay.Outcome;
import dev.gearbox.routing.replay.Replay;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code route RULES_DIR PROMPTS.jsonl}: replays prompts through routing rules offline, without a
 * gateway or a provider, so an operator can see what an edit would change before applying it.
 *
 * <p>Each input line is {@code {"id": ..., "prompt": "..."}} or {@code {"id": ..., "request": {chat body}}};
 * each output line is {@code {"id", "route", "rule", "tier", "model", "difficulty", "why"}}, where {@code why}
 * names the three strongest reasons behind the difficulty score and {@code route} is
 * {@code strong} for any tier but cheap and {@code weak} for cheap, the form the routing-eval scorer reads.
 *
 * <p>{@code route --compare OLD_DIR NEW_DIR TRAFFIC.jsonl} routes the same lines through both and prints
 * how many change tier or model, the tier shares and the estimated cost before and after.
 */
final class RouteCommand {

    private RouteCommand() {
    }

    static final String USAGE = """
            Usage: java -jar gearbox.jar route RULES_DIR PROMPTS.jsonl
                   java -jar gearbox.jar route --compare OLD_DIR NEW_DIR TRAFFIC.jsonl

            Replays prompts ({"id", "prompt"}, {"id", "messages", "tools"} or {"id", "request"} per line) through
            routing rules offline, with the weights of the directory's difficulty-weights.txt if it has one, and
            prints one decision per line ({"id", "route": strong|weak, "rule", "tier", "model", "difficulty",
            "why": the strongest reasons behind the score}). When lines carry a "label" (reasoning or cheap, as
            train-router reads them), it also prints how many of each label went to a tier other than cheap.
            With --compare it routes the same traffic through two directories and prints how many requests
            change tier or model, the tier shares and the estimated cost before and after.
            """;

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        if (args.length == 4 && args[0].equals("--compare")) {
            return compare(args[1], args[2], args[3], env, out, err);
        }
        if (args.length != 2) {
            err.print(USAGE);
            return 2;
        }
        Single replay = new Single(args[0], env);
        int[] lines = {0};
        Map<String, int[]> labels = new TreeMap<>();
        int code = read(args[1], err, item -> {
            JsonObject result = new JsonObject().put("id", item.getValue("id"));
            Routed routed = replay.route(item);
            if (routed.decision() != null) {
                RouteDecision d = routed.decision();
                result.put("route", "cheap".equals(d.model().tier()) ? "weak" : "strong").put("rule", d.route())
                        .put("tier", d.tier()).put("model", d.model().id()).put("difficulty", routed.difficulty())
                        .put("why", routed.why());
                if (item.getValue("label") instanceof String label) {
                    int[] counts = labels.computeIfAbsent(label, k -> new int[2]);
                    counts[0]++;
                    counts[1] += "cheap".equals(d.model().tier()) ? 0 : 1;
                }
            } else {
                result.put("error", routed.error());
            }
            out.println(result.encode());
            lines[0]++;
        });
        if (code == 0) {
            err.println("routed " + lines[0] + " prompts with rules " + replay.table().version() + " and difficulty weights "
                    + replay.table().weights().version());
            labels.forEach((label, counts) -> err.printf(Locale.ROOT, "labelled %s: %d of %d (%.1f%%) to a tier other than cheap%n",
                    label, counts[1], counts[0], 100.0 * counts[1] / counts[0]));
        }
        return code;
    }

    private static int compare(String oldDir, String newDir, String traffic, Map<String, String> env, PrintStream out,
                               PrintStream err) {
        Replay before = replay(oldDir, env);
        Replay after = replay(newDir, env);
        Comparison c = new Comparison(0);
        int code = read(traffic, err, item -> {
            String id = String.valueOf(item.getValue("id"));
            c.add(id, null, before.route(Replay.features(item, TokenCounter.shared()), Budget.NONE),
                    after.route(Replay.features(item, TokenCounter.shared()), Budget.NONE), false);
        });
        if (code != 0) {
            return code;
        }
        out.printf(Locale.ROOT, "%d requests of %s: rules %s (%s) -> %s (%s)%n", c.requests(), traffic, oldDir,
                before.table().version(), newDir, after.table().version());
        out.printf(Locale.ROOT, "changed tier: %d (%s), changed model: %d (%s)%n", c.tierChanged(),
                share(c.tierChanged(), c.requests()), c.modelChanged(), share(c.modelChanged(), c.requests()));
        out.printf(Locale.ROOT, "%-14s %10s %10s%n", "tier", "before", "after");
        c.tiers().forEach((tier, n) -> out.printf(Locale.ROOT, "%-14s %10s %10s%n", tier, share(n[0], c.requests()),
                share(n[1], c.requests())));
        out.printf(Locale.ROOT, "estimated cost: $%.4f before, $%.4f after (%+.1f%%)%n", c.costBefore(), c.costAfter(),
                c.costBefore() == 0 ? 0 : (c.costAfter() / c.costBefore() - 1) * 100);
        c.moves().forEach((move, n) -> out.printf(Locale.ROOT, "  %s: %d%n", move, n));
        return 0;
    }

    /** The rules of a directory, as a gateway on the embedded default config would route with them. */
    private static Replay replay(String directory, Map<String, String> env) {
        GearboxConfig config = ConfigLoader.of(env).embeddedDefault();
        return new Replay(RulesCompiler.standalone(config, Clock.systemUTC()).compile(RulesText.read(Path.of(directory))),
                new LatencyStats());
    }

    private static String share(int n, int of) {
        return String.format(Locale.ROOT, "%.1f%%", of == 0 ? 0 : 100.0 * n / of);
    }

    /** Reads JSON lines, calling {@code each} for every object; a line that is not one stops with its number. */
    private static int read(String file, PrintStream err, Consumer<JsonObject> each) {
        int number = 0;
        try (BufferedReader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonObject item;
                try {
                    item = new JsonObject(line);
                } catch (DecodeException | ClassCastException e) {
                    err.println("gearbox route: " + file + ": line " + number + ": not a JSON object");
                    return 1;
                }
                each.accept(item);
            }
        } catch (IOException e) {
            err.println("gearbox route: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** A decision with the request's difficulty score, or the routing error. */
    private record Routed(RouteDecision decision, double difficulty, JsonArray why, String error) {
    }

    /** Each line's decision under one directory's rules, with the reasons behind its score. */
    private static final class Single {
        private final Replay replay;

        Single(String directory, Map<String, String> env) {
            this.replay = replay(directory, env);
        }

        RoutingTable table() {
            return replay.table();
        }

        Routed route(JsonObject item) {
            RequestFeatures features = Replay.features(item, TokenCounter.shared());
            Outcome outcome = replay.route(features, Budget.NONE);
            if (outcome.decision() == null) {
                return new Routed(null, Double.NaN, null, outcome.error());
            }
            RoutingTable table = replay.table();
            return new Routed(outcome.decision(), features.difficulty(table.weights().model()),
                    ScoreReasons.brief(features, table, 3), null);
        }
    }
}
