package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Arbitrary JSON bodies, well-formed or not, never make rule evaluation throw. */
class RuleEvaluationPropertyTest {

    private static final List<String> FIELDS = List.of("model", "messages", "role", "content", "type", "text", "tools",
            "response_format", "max_tokens", "max_completion_tokens", "reasoning_effort", "user", "metadata", "stream",
            "image_url", "n", "x");

    @Test
    void evaluatingTheShippedRulesOnArbitraryBodiesNeverThrows() {
        RoutingTable table = RulesCompiler.standalone(RoutingFixtures.config(), RoutingFixtures.CLOCK)
                .compile(RulesText.read(Path.of("..", "routing-rules")));
        Router router = new Router(new LatencyStats(), new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(20261123);
        int routed = 0;
        for (int i = 0; i < 3000; i++) {
            JsonObject body = object(rng, 0);
            if (rng.nextInt(3) == 0) {
                body.put("model", List.of("auto", "reasoning", "cheap", "sim-cheap", "nope").get(rng.nextInt(5)));
            }
            try {
                router.route(table, request(body), Budget.NONE);
                routed++;
            } catch (RoutingException expected) {
                // An unknown model is a proper answer, not a crash.
            }
            router.explain(table, request(body), new Budget(rng.nextBoolean() ? 0.001 : null, null));
            for (Rule rule : table.rules()) {
                if (!rule.always()) {
                    rule.when().test(request(body));
                    rule.when().whyNot(request(body));
                }
            }
        }
        assertThat(routed).isGreaterThan(1000);
    }

    private static JsonObject object(SplittableRandom rng, int depth) {
        JsonObject out = new JsonObject();
        int fields = rng.nextInt(6);
        for (int i = 0; i < fields; i++) {
            out.put(FIELDS.get(rng.nextInt(FIELDS.size())), value(rng, depth + 1));
        }
        if (depth == 0 && rng.nextBoolean()) {
            JsonArray messages = new JsonArray();
            for (int i = rng.nextInt(4); i >= 0; i--) {
                messages.add(rng.nextInt(5) == 0 ? value(rng, 1) : new JsonObject()
                        .put("role", List.of("user", "system", "assistant", "tool").get(rng.nextInt(4)))
                        .put("content", rng.nextBoolean() ? text(rng) : value(rng, 2)));
            }
            out.put("messages", messages);
        }
        return out;
    }

    private static Object value(SplittableRandom rng, int depth) {
        int kind = rng.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> rng.nextBoolean();
            case 2 -> rng.nextInt(-5, 100_000);
            case 3 -> rng.nextDouble() * 1e6;
            case 4 -> text(rng);
            case 5 -> object(rng, depth);
            default -> {
                JsonArray array = new JsonArray();
                for (int i = rng.nextInt(4); i > 0; i--) {
                    array.add(value(rng, depth + 1));
                }
                yield array;
            }
        };
    }

    private static String text(SplittableRandom rng) {
        String[] words = {"prove", "the", "theorem", "debug", "stack trace", "12 * 7?", "plan for", "\\int", "é", "👋", ""};
        StringBuilder out = new StringBuilder();
        for (int i = rng.nextInt(8); i > 0; i--) {
            out.append(words[rng.nextInt(words.length)]).append(' ');
        }
        return out.toString();
    }
}
