package dev.gearbox.console.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.wire.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfTest {

    private static final String MODELS = """
            models:
              - {id: small, provider: p, tier: cheap, price: {input: 0.15, output: 0.60}}
              - {id: big, provider: p, tier: reasoning, price: {input: 4.50, output: 18.00}}
            """;
    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - name: default
                then: {tier: cheap}
            """;
    private static final String BY_TEXT = """
            aliases: [auto]
            routes:
              - name: maths
                when: {last_user_message: {keywords: [prove]}}
                then: {tier: reasoning}
              - name: default
                then: {tier: cheap}
            """;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void anInvalidEditComesBackWithTheFileLineAndFieldOfEachProblem(@TempDir Path dir) throws IOException {
        WhatIf whatIf = new WhatIf(rules(dir), null, new LatencyStats(), TokenCounter.shared());

        JsonObject result = whatIf.validate(null, ROUTES.replace("tier: cheap", "tier: nope"));

        assertThat(result.getBoolean("valid")).isFalse();
        JsonObject problem = result.getJsonArray("problems").getJsonObject(0);
        assertThat(problem.getString("file")).isEqualTo(dir.resolve("routes.yaml").toString());
        assertThat(problem.getInteger("line")).isEqualTo(4);
        assertThat(problem.getString("field")).isEqualTo("routes[0].then.tier");
        assertThat(problem.getString("message")).startsWith("unknown tier 'nope'");
        assertThat(whatIf.validate(null, "routes: [").getJsonArray("problems").getJsonObject(0).getString("message"))
                .contains("YAML syntax");
    }

    @Test
    void uploadedTrafficIsReplayedBesideTheRulesInForceWhichStayInForce(@TempDir Path dir) throws IOException {
        RoutingRules rules = rules(dir);
        String version = rules.current().version();
        WhatIf whatIf = new WhatIf(rules, null, new LatencyStats(), TokenCounter.shared());

        JsonObject result = whatIf.run(null, BY_TEXT, """
                {"id": "a", "prompt": "Prove that 7 is prime"}
                {"id": "b", "prompt": "Say hello"}

                {"messages": [{"role": "user", "content": "prove it"}]}
                """);

        JsonObject c = result.getJsonObject("comparison");
        assertThat(c.getInteger("requests")).isEqualTo(3);
        assertThat(c.getInteger("tier_changed")).isEqualTo(2);
        assertThat(c.getJsonObject("moves").getInteger("cheap -> reasoning")).isEqualTo(2);
        assertThat(c.getJsonArray("examples").getJsonObject(0).getString("id")).isEqualTo("a");
        assertThat(c.getJsonArray("examples").getJsonObject(1).getString("id")).isEqualTo("line 4");
        assertThat(result.getString("diff")).startsWith("--- a/routes.yaml").doesNotContain("models.yaml");
        assertThat(rules.current().version()).isEqualTo(version);
        assertThat(Files.readString(dir.resolve("routes.yaml"))).isEqualTo(ROUTES);

        assertThatThrownBy(() -> whatIf.run(null, BY_TEXT, "{\"prompt\": \"hi\"}\nnot json\n"))
                .isInstanceOf(ApiException.class).hasMessageContaining("traffic: line 2: not a JSON object");
    }

    @Test
    void aSampleWithoutTextDecidedByARuleOnTextIsCountedAsAGuess(@TempDir Path dir) throws IOException {
        TrafficSample sample = TrafficSample.of(10, false, clock);
        route(sample, "Prove that 7 is prime");
        route(sample, "Say hello");
        WhatIf whatIf = new WhatIf(rules(dir), sample, new LatencyStats(), TokenCounter.shared());

        JsonObject c = whatIf.run(null, BY_TEXT, null).getJsonObject("comparison");

        assertThat(c.getInteger("requests")).isEqualTo(2);
        assertThat(c.getInteger("guessed")).isEqualTo(2);
        assertThat(c.getInteger("tier_changed")).as("without the text no request looks like maths").isZero();
        assertThat(whatIf.inForce().getJsonObject("sample").getBoolean("keeps_text")).isFalse();

        TrafficSample withText = TrafficSample.of(10, true, clock);
        route(withText, "Prove that 7 is prime");
        JsonObject exact = new WhatIf(rules(dir.resolve("again")), withText, new LatencyStats(), TokenCounter.shared())
                .run(null, BY_TEXT, null).getJsonObject("comparison");
        assertThat(exact.getInteger("guessed")).isZero();
        assertThat(exact.getInteger("tier_changed")).isEqualTo(1);
    }

    private RoutingRules rules(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("models.yaml"), MODELS);
        Files.writeString(dir.resolve("routes.yaml"), ROUTES);
        return RoutingRules.load(ConfigLoader.of(Map.of()).parse("""
                providers:
                  p: {type: simulated}
                rules:
                  directory: %s
                """.formatted(dir), "test"), clock);
    }

    private static void route(TrafficSample sample, String prompt) {
        JsonObject body = new JsonObject().put("model", "auto").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", prompt)));
        Exchange exchange = Exchange.begin("r", "POST", "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(), 0, sample);
        exchange.routed(new RouteDecision("default", ModelConfig.of("small", "p"), List.of(), 0, null, CacheMode.DETERMINISTIC,
                null, "v"), RequestFeatures.of(body, MultiMap.caseInsensitiveMultiMap(), "anonymous", null, TokenCounter.shared()));
    }
}
