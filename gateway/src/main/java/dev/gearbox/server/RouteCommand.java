package dev.gearbox.server;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code route RULES_DIR PROMPTS.jsonl}: replays prompts through routing rules offline, without a
 * gateway or a provider, so an operator can see what an edit would change before applying it.
 *
 * <p>Each input line is {@code {"id": ..., "prompt": "..."}} or {@code {"id": ..., "request": {chat body}}};
 * each output line is {@code {"id", "route", "rule", "tier", "model"}}, where {@code route} is
 * {@code strong} for any tier but cheap and {@code weak} for cheap, the form the routing-eval scorer reads.
 */
final class RouteCommand {

    private RouteCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("Usage: java -jar gearbox.jar route RULES_DIR PROMPTS.jsonl");
            return 2;
        }
        GearboxConfig config = ConfigLoader.of(env).embeddedDefault();
        RoutingTable table = RulesCompiler.standalone(config, Clock.systemUTC()).compile(RulesText.read(Path.of(args[0])));
        Router router = new Router(new LatencyStats(), new SplittableRandom(0));
        TokenCounter tokens = TokenCounter.shared();
        int lines = 0;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject item = new JsonObject(line);
                JsonObject body = item.getValue("request") instanceof JsonObject request ? request
                        : new JsonObject().put("model", "auto").put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", item.getString("prompt", ""))));
                JsonObject result = new JsonObject().put("id", item.getValue("id"));
                try {
                    RouteDecision d = router.route(table, RequestFeatures.of(body, MultiMap.caseInsensitiveMultiMap(),
                            "anonymous", null, tokens), Budget.NONE);
                    result.put("route", "cheap".equals(d.model().tier()) ? "weak" : "strong").put("rule", d.route())
                            .put("tier", d.tier()).put("model", d.model().id());
                } catch (RoutingException e) {
                    result.put("error", e.getMessage());
                }
                out.println(result.encode());
                lines++;
            }
        } catch (IOException e) {
            err.println("gearbox route: " + e.getMessage());
            return 1;
        }
        err.println("routed " + lines + " prompts with rules " + table.version());
        return 0;
    }
}
