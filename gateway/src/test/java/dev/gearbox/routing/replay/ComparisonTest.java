package dev.gearbox.routing.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static final String MODELS = """
            models:
              - {id: small, provider: p, tier: cheap, price: {input: 0.15, output: 0.60}}
              - {id: big, provider: p, tier: reasoning, price: {input: 4.50, output: 18.00}}
            """;

    @Test
    void aComparisonCountsTheMovedRequestsTierSharesAndCostsAndKeepsTheFirstMoved() {
        Replay before = replay("""
                aliases: [auto]
                routes:
                  - {name: default, then: {tier: cheap}}
                """);
        Replay after = replay("""
                aliases: [auto]
                routes:
                  - {name: maths, when: {last_user_message: {keywords: [prove]}}, then: {tier: reasoning}}
                  - {name: default, then: {tier: cheap}}
                """);
        Comparison c = new Comparison(1);
        List<String> prompts = List.of("hello", "prove that 2 is prime", "prove this too", "what is up");
        for (int i = 0; i < prompts.size(); i++) {
            JsonObject line = new JsonObject().put("id", i).put("prompt", prompts.get(i));
            c.add(String.valueOf(i), prompts.get(i), before.route(Replay.features(line, TokenCounter.shared()), Budget.NONE),
                    after.route(Replay.features(line, TokenCounter.shared()), Budget.NONE), false);
        }

        assertThat(c.requests()).isEqualTo(4);
        assertThat(c.tierChanged()).isEqualTo(2);
        assertThat(c.modelChanged()).isEqualTo(2);
        assertThat(c.moves()).isEqualTo(Map.of("cheap -> reasoning", 2));
        assertThat(c.tiers().get("cheap")).containsExactly(4, 2);
        assertThat(c.tiers().get("reasoning")).containsExactly(0, 2);
        assertThat(c.costAfter()).isGreaterThan(c.costBefore());
        assertThat(c.examples()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("1");
            assertThat(m.before().model()).isEqualTo("small");
            assertThat(m.after().model()).isEqualTo("big");
            assertThat(m.after().route()).isEqualTo("maths");
        });
        assertThat(c.json().getJsonObject("moves").getInteger("cheap -> reasoning")).isEqualTo(2);
    }

    private static Replay replay(String routes) {
        RoutingTable table = RulesCompiler.forGateway(ConfigLoader.of(Map.of()).parse("providers:\n  p: {type: simulated}\n",
                "test"), Clock.systemUTC()).compile(new RulesText(MODELS, routes, "test"));
        return new Replay(table, new LatencyStats());
    }
}
