package dev.gearbox.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.Pricing;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final ModelConfig MINI = model("gpt-4o-mini", 0.15, 0.075, 0.60);
    private static final ModelConfig O1 = model("o1", 15.00, 7.50, 60.00);

    @Test
    void pricesPromptAndCompletionTokens() {
        // 1,000 x $0.15/M + 500 x $0.60/M = $0.00015 + $0.0003 = $0.00045
        Cost cost = CostCalculator.cost(MINI, O1, new Usage(1_000, 0, 500, 0, false));

        assertThat(cost.usd()).isCloseTo(0.00045, within(1e-12));
        // 1,000 x $15/M + 500 x $60/M = $0.015 + $0.03 = $0.045
        assertThat(cost.baselineUsd()).isCloseTo(0.045, within(1e-12));
        assertThat(cost.savingsUsd()).isCloseTo(0.04455, within(1e-12));
    }

    @Test
    void pricesCachedPromptTokensAtTheirOwnPrice() {
        // 600 uncached x $0.15/M + 400 cached x $0.075/M + 100 x $0.60/M = $0.00009 + $0.00003 + $0.00006 = $0.00018
        Cost cost = CostCalculator.cost(MINI, null, new Usage(1_000, 400, 100, 0, false));

        assertThat(cost.usd()).isCloseTo(0.00018, within(1e-12));
        assertThat(cost.baselineUsd()).isEqualTo(cost.usd());
    }

    @Test
    void pricesCacheWritesAtTheirOwnPriceAndDefaultsThemToTheInputPrice() {
        ModelConfig sonnet = new ModelConfig("claude-sonnet-4", "p", null, null, null,
                new Pricing(3.00, 0.30, 15.00, null, 3.75), null, null, null, null, null, null);
        // 500 uncached x $3/M + 4,000 read x $0.30/M + 1,500 written x $3.75/M + 100 x $15/M
        Usage usage = new Usage(6_000, 4_000, 100, 0, false, 1_500);

        assertThat(CostCalculator.cost(sonnet, null, usage).usd()).isCloseTo(0.0015 + 0.0012 + 0.005625 + 0.0015, within(1e-12));
        assertThat(CostCalculator.cost(model("m", 3.00, 0.30, 15.00), null, usage).usd())
                .isCloseTo(0.0015 + 0.0012 + 0.0045 + 0.0015, within(1e-12));
    }

    @Test
    void billsReasoningTokensAsOutput() {
        // o1: 200 x $15/M + (300 visible + 2,000 reasoning) x $60/M = $0.003 + $0.138 = $0.141
        Cost cost = CostCalculator.cost(O1, O1, new Usage(200, 0, 2_300, 2_000, false));

        assertThat(cost.usd()).isCloseTo(0.141, within(1e-12));
        assertThat(cost.savingsUsd()).isZero();
    }

    @Test
    void anEstimatedUsageIsPricedTheSameWay() {
        Usage estimated = UsageEstimator.estimate(1_000, "one two three four");

        assertThat(estimated.estimated()).isTrue();
        assertThat(estimated.completionTokens()).isEqualTo(4);
        // 1,000 x $0.15/M + 4 x $0.60/M = $0.0001524
        assertThat(CostCalculator.cost(MINI, O1, estimated).usd()).isCloseTo(0.0001524, within(1e-12));
    }

    @Test
    void aCacheHitCostsNothingAndSavesTheWholeBaseline() {
        Cost cost = CostCalculator.cacheHit(O1, new Usage(1_000, 0, 500, 0, false));

        assertThat(cost.usd()).isZero();
        assertThat(cost.savingsUsd()).isCloseTo(0.045, within(1e-12));
    }

    @Test
    void readsOpenAiAndDeepSeekUsageBlocks() {
        Usage openai = Usage.fromJson(new JsonObject("""
                {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200,
                 "prompt_tokens_details": {"cached_tokens": 64},
                 "completion_tokens_details": {"reasoning_tokens": 50}}"""));
        Usage deepseek = Usage.fromJson(new JsonObject("""
                {"prompt_tokens": 15, "completion_tokens": 9, "prompt_cache_hit_tokens": 10, "prompt_cache_miss_tokens": 5}"""));

        assertThat(openai).isEqualTo(new Usage(120, 64, 80, 50, false));
        assertThat(deepseek).isEqualTo(new Usage(15, 10, 9, 0, false));
        assertThat(Usage.fromJson(null)).isNull();
        assertThat(Usage.fromJson(new JsonObject().put("total_tokens", 3))).isNull();
    }

    @Test
    void theBaselineIsTheFlagshipReasoningModelThatCanBeServed() {
        RulesText shipped = RulesText.read(Path.of("..", "routing-rules"));
        Catalog embedded = RulesCompiler.forGateway(ConfigLoader.of(Map.of()).embeddedDefault(), Clock.systemUTC())
                .compile(shipped).catalog();
        Catalog everything = RulesCompiler.standalone(ConfigLoader.of(Map.of()).embeddedDefault(), Clock.systemUTC())
                .compile(shipped).catalog();

        assertThat(embedded.baseline(null)).map(ModelConfig::id).hasValue("sim-reasoning");
        assertThat(everything.baseline(null)).map(ModelConfig::id).hasValue("o1");
        assertThat(everything.baseline("o3")).map(ModelConfig::id).hasValue("o3");
    }

    private static ModelConfig model(String id, double input, double cached, double output) {
        return new ModelConfig(id, "p", null, null, null, new Pricing(input, cached, output, null), null, null, null,
                null, null, null);
    }
}
