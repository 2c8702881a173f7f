package dev.gearbox.routing;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Small catalogs, rule sets and requests for routing tests. */
final class RoutingFixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    static final String MODELS = """
            models:
              - {id: cheap-a, provider: p, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode],
                 context_window: 16000, expected_output_tokens: 400, latency: {first_token_ms: 300, total_ms: 3000}}
              - {id: cheap-b, provider: p, tier: cheap, price: {input: 0.10, output: 0.40}, capabilities: [],
                 context_window: 8000, expected_output_tokens: 400, latency: {first_token_ms: 200, total_ms: 2000}}
              - {id: thinker, provider: p, tier: reasoning, price: {input: 4.50, output: 18.00},
                 capabilities: [tools, json_mode, vision, reasoning], expected_output_tokens: 500,
                 expected_reasoning_tokens: 2000, latency: {first_token_ms: 5000, total_ms: 30000}}
              - {id: o1, provider: p, tier: reasoning, price: {input: 15, output: 60}, capabilities: [tools, reasoning],
                 expected_output_tokens: 800, expected_reasoning_tokens: 4000}
              - {id: far-away, provider: unconfigured, tier: cheap, price: {input: 0.01, output: 0.01}}
              - {id: embed, provider: p, kind: embeddings}
            """;

    static GearboxConfig config() {
        return ConfigLoader.of(Map.of()).parse("""
                providers:
                  p: {type: simulated}
                """, "test config");
    }

    static RoutingTable table(String routes) {
        return RulesCompiler.forGateway(config(), CLOCK).compile(new RulesText(MODELS, routes, "test"));
    }

    static RequestFeatures request(JsonObject body) {
        return request(body, MultiMap.caseInsensitiveMultiMap(), "team-a");
    }

    static RequestFeatures request(JsonObject body, MultiMap headers, String tenant) {
        return RequestFeatures.of(body, headers, tenant, "TEAM_A_KEY", TokenCounter.shared());
    }

    static JsonObject chat(String model, String prompt) {
        JsonObject body = new JsonObject().put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", prompt)));
        if (model != null) {
            body.put("model", model);
        }
        return body;
    }
}
