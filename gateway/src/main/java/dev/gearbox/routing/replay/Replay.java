package dev.gearbox.routing.replay;

import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingTable;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.gearbox.tokens.TokenCounter;
import java.util.SplittableRandom;

/**
 * Routes requests through one version of the rules as a gateway would, without a provider: the offline
 * {@code route} command and the console's what-if both replay traffic this way. Use the table of a compiled
 * copy of the rules, never the one in force: a {@code target_share} condition counts every request it
 * routes into its threshold.
 */
public final class Replay {

    private final RoutingTable table;
    private final Router router;

    /** @param latency the latency figures a {@code fastest} route orders by */
    public Replay(RoutingTable table, LatencyStats latency) {
        this.table = table;
        // Seeded, so a weighted route replays the same way every time.
        this.router = new Router(latency, new SplittableRandom(0));
    }

    public RoutingTable table() {
        return table;
    }

    public Outcome route(RequestFeatures features, Budget budget) {
        try {
            return new Outcome(router.route(table, features, budget), null);
        } catch (RoutingException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /**
     * The chat body of one line of traffic: {@code {"request": {chat body}}}, {@code {"messages": [...], "tools":
     * [...]}} or {@code {"prompt": "..."}} (a single user message); the last two ask for {@code auto}.
     */
    public static JsonObject body(JsonObject line) {
        if (line.getValue("request") instanceof JsonObject request) {
            return request;
        }
        if (line.getValue("messages") instanceof JsonArray messages) {
            JsonObject body = new JsonObject().put("model", "auto").put("messages", messages);
            if (line.getValue("tools") instanceof JsonArray tools) {
                body.put("tools", tools);
            }
            return body;
        }
        return new JsonObject().put("model", "auto").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", line.getValue("prompt") instanceof String p ? p : "")));
    }

    /** What the rules see of a line of traffic, from an anonymous caller without headers. */
    public static RequestFeatures features(JsonObject line, TokenCounter tokens) {
        return RequestFeatures.of(body(line), MultiMap.caseInsensitiveMultiMap(), "anonymous", null, tokens);
    }
}
