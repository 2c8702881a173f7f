package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.CLOCK;
import static dev.gearbox.routing.RoutingFixtures.MODELS;
import static dev.gearbox.routing.RoutingFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesCompilerTest {

    @Test
    void theShippedRulesAreValidForTheEmbeddedDefaultAndForOpenAiAndDeepSeek() {
        RulesText shipped = RulesText.read(Path.of("..", "routing-rules"));
        GearboxConfig embedded = ConfigLoader.of(Map.of()).embeddedDefault();
        GearboxConfig real = ConfigLoader.of(Map.of("OPENAI_API_KEY", "k", "DEEPSEEK_API_KEY", "k"))
                .load(Path.of("..", "deploy", "gearbox-openai-deepseek.yaml"));

        RoutingTable table = RulesCompiler.forGateway(embedded, CLOCK).compile(shipped);
        RoutingTable withKeys = RulesCompiler.forGateway(real, CLOCK).compile(shipped);

        assertThat(table.catalog().routeAliases()).containsExactly("auto", "cheap", "reasoning");
        assertThat(table.catalog().tier("cheap")).extracting(m -> m.id()).containsExactly("sim-cheap");
        assertThat(withKeys.catalog().tier("cheap")).extracting(m -> m.id()).containsExactly("gpt-4o-mini", "deepseek-chat");
        assertThat(table.rules().get(table.rules().size() - 1).always()).isTrue();
        assertThat(table.catalog().models()).allSatisfy(m -> assertThat(m.price()).isNotNull());
    }

    @Test
    void theBuiltInRulesAreTheShippedOnes() {
        assertThat(RulesText.builtIn().version()).isEqualTo(RulesText.read(Path.of("..", "routing-rules")).version());
    }

    @Test
    void reportsSyntaxErrorsWithFileAndLine() {
        assertProblems(MODELS, "routes:\n  - name: a\n    then: {tier: cheap\n", "routes.yaml: line ", "YAML syntax");
    }

    @Test
    void reportsSchemaErrorsWithFileLineAndField() {
        assertProblems(MODELS, """
                routes:
                  - name: a
                    then: {tier: cheap, strategy: fancy}
                """, "test/routes.yaml: line 3: routes[0].then.strategy", "expected: ordered, weighted, cheapest or fastest");
        assertProblems(MODELS, """
                routes:
                  - name: a
                    then: {tier: cheap, colour: blue}
                """, "line 3: routes[0].then.colour: unknown field");
        assertProblems(MODELS, """
                routes:
                  - name: a
                    then: {tier: cheap, models: [cheap-a]}
                """, "routes[0].then.tier: exactly one of tier or models");
    }

    @Test
    void reportsUnknownModelsAndTiers() {
        assertProblems(MODELS, """
                routes:
                  - name: a
                    when: {model: x}
                    then: {models: [cheap-a, gpt-9], fallbacks: [claude-9]}
                  - name: default
                    then: {tier: cheep}
                """, "line 4: routes[0].then.models[1]: unknown model 'gpt-9'",
                "routes[0].then.fallbacks[0]: unknown model 'claude-9'",
                "line 6: routes[1].then.tier: unknown tier 'cheep' (expected one of: [cheap, reasoning])");
    }

    @Test
    void reportsDuplicateNamesUnreachableRoutesAndAMissingDefault() {
        assertProblems(MODELS, """
                routes:
                  - name: a
                    then: {tier: cheap}
                  - name: a
                    when: {model: x}
                    then: {tier: cheap}
                """, "line 4: routes[1].name: 'a' is already the name of the route at line 2",
                "route 'a' can never apply: route 'a' at line 2 before it always applies",
                "the last route must be a default route without 'when'");
    }

    @Test
    void reportsRoutesWhoseModelsCannotBeServed() {
        assertProblems(MODELS, """
                routes:
                  - name: a
                    when: {model: x}
                    then: {models: [far-away]}
                  - name: default
                    then: {tier: cheap}
                """, "routes[0].then.models: none of these models has a configured provider (configured: [p])");
    }

    @Test
    void reportsDuplicateModelsAndAliasesThatAreModels() {
        assertProblems(MODELS + "  - {id: embed, provider: p}\n", """
                aliases: [cheap-a]
                routes:
                  - name: default
                    then: {tier: cheap}
                """, "models.yaml: line 13: models[6].id: 'embed' is listed twice",
                "routes.yaml: line 1: aliases[0]: 'cheap-a' is also a model id");
    }

    @Test
    void readsARoutesOwnQualitySettings() {
        RoutingTable table = RulesCompiler.forGateway(judged("thinker"), CLOCK).compile(new RulesText(MODELS, """
                routes:
                  - name: hard
                    when: {model: x}
                    then: {tier: reasoning}
                    quality: {shadow: {sample_rate: 0.25}, store_text: true}
                  - name: default
                    then: {tier: cheap}
                """, "test"));

        assertThat(table.rule("hard").quality()).isEqualTo(new RouteQuality(new RouteQuality.Shadow(0.25), true));
        assertThat(table.rule("hard").quality().sampleRate(0.05)).isEqualTo(0.25);
        assertThat(table.rule("default").quality()).isNull();
        assertThat(table.rule("direct")).isNull();
    }

    @Test
    void refusesShadowSamplingWithoutAJudgeAndAJudgeTheGatewayCannotCall() {
        assertProblems(MODELS, """
                routes:
                  - name: default
                    then: {tier: cheap}
                    quality: {shadow: {sample_rate: 0.5}}
                """, "line 4: routes[0].quality.shadow.sample_rate: 0.5 (expected: 0 while the gateway config names no"
                + " quality.shadow.judge_model");
        assertProblems(MODELS, """
                routes:
                  - name: default
                    then: {tier: cheap}
                    quality: {shadow: {sample_rate: 2}}
                """, "routes[0].quality.shadow.sample_rate: 2.0 (expected: from 0 to 1)");
        for (String judge : new String[] {"gpt-9", "embed", "far-away"}) {
            assertThatThrownBy(() -> RulesCompiler.forGateway(judged(judge), CLOCK).compile(new RulesText(MODELS,
                    "routes:\n  - {name: default, then: {tier: cheap}}\n", "test")))
                    .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.problems()).contains(
                            "gateway config: quality.shadow.judge_model: '" + judge + "' (expected: the id of a chat model in"
                                    + " the catalog whose provider is configured)"));
        }
    }

    private static GearboxConfig judged(String judge) {
        return ConfigLoader.of(Map.of()).parse("""
                providers:
                  p: {type: simulated}
                quality:
                  shadow: {sample_rate: 0.1, judge_model: %s}
                """.formatted(judge), "test config");
    }

    @Test
    void standaloneValidationTreatsEveryProviderAsConfigured() {
        RoutingTable table = RulesCompiler.standalone(config(), CLOCK).compile(new RulesText(MODELS, """
                routes:
                  - name: default
                    then: {models: [far-away]}
                """, "test"));

        assertThat(table.rules()).hasSize(1);
    }

    private static void assertProblems(String models, String routes, String... expected) {
        assertThatThrownBy(() -> RulesCompiler.forGateway(config(), CLOCK).compile(new RulesText(models, routes, "test")))
                .isInstanceOfSatisfying(RulesException.class, e -> {
                    for (String fragment : expected) {
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(fragment));
                    }
                });
    }
}
