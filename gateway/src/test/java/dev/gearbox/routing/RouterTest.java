package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.chat;
import static dev.gearbox.routing.RoutingFixtures.request;
import static dev.gearbox.routing.RoutingFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ModelConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final String ROUTES = """
            aliases: [auto, reasoning, ordered, weighted, fastest, strict, tight, escalating]
            routes:
              - name: o1-policy
                when: {model: o1, tenant: team-b}
                then: {models: [thinker]}
              - name: reasoning
                when: {model: reasoning}
                then: {tier: reasoning, fallbacks: [cheap-a], fallback_max_cost_ratio: 8, timeout_ms: 60000}
              - name: ordered
                when: {model: ordered}
                then: {models: [thinker, cheap-a, far-away], strategy: ordered, cache: false}
              - name: weighted
                when: {model: weighted}
                then: {models: [cheap-a, cheap-b], strategy: weighted, weights: {cheap-a: 1, cheap-b: 3}}
              - name: fastest
                when: {model: fastest}
                then: {tier: cheap, strategy: fastest}
              - name: strict
                when: {model: strict}
                then: {tier: reasoning, max_cost_usd: 0.001, on_over_budget: reject}
              - name: tight
                when: {model: tight}
                then: {tier: reasoning, latency_budget_ms: 1000, timeout_ms: 90000}
              - name: escalating
                when: {model: escalating}
                then: {models: [cheap-a], fallbacks: [thinker, o1], fallback_max_cost_ratio: 200}
              - name: maths
                when: {last_user_message: {keywords: [prove]}}
                then: {tier: reasoning}
              - name: default
                then: {tier: cheap, fallback_max_cost_ratio: 2}
            """;

    private final RoutingTable table = table(ROUTES);
    private final LatencyStats latency = new LatencyStats();
    private final Router router = new Router(latency, new SplittableRandom(7));

    @Test
    void theDefaultRouteSendsToTheCheapestAvailableModelOfTheTier() {
        RouteDecision d = route(chat("auto", "What is the capital of France?"));

        assertThat(d.route()).isEqualTo("default");
        assertThat(d.model().id()).isEqualTo("cheap-b");
        assertThat(d.tier()).isEqualTo("cheap");
        assertThat(d.fallbacks()).extracting(ModelConfig::id).containsExactly("cheap-a");
        assertThat(d.version()).isEqualTo(table.version());
    }

    @Test
    void aRequestNamingNoModelUsesAuto() {
        assertThat(route(chat(null, "prove this")).route()).isEqualTo("maths");
    }

    @Test
    void aMatchingRuleSendsToItsTier() {
        RouteDecision d = route(chat("auto", "Please prove Fermat's little theorem"));

        assertThat(d.route()).isEqualTo("maths");
        assertThat(d.model().id()).isEqualTo("thinker");
    }

    @Test
    void aFallbackDearerThanTheChosenModelIsDroppedUnlessTheRouteOptsIn() {
        JsonObject body = chat("auto", "Please prove Fermat's little theorem");

        RouteDecision d = route(body);
        JsonObject explained = router.explain(table, request(body), Budget.NONE);

        assertThat(d.fallbacks()).as("o1 is 6.4 times thinker's estimate, and maths sets no ratio").isEmpty();
        JsonObject o1 = candidate(explained, "o1");
        assertThat(o1.getString("status")).isEqualTo("dropped");
        assertThat(o1.getString("reason")).contains("6.40 times").contains("fallback_max_cost_ratio");
    }

    @Test
    void anOptedInRouteFallsBackWithinItsRatioAndKnowsHowMuchDearerEachFallbackIs() {
        RouteDecision d = route(chat("escalating", "hi"));

        assertThat(d.model().id()).isEqualTo("cheap-a");
        assertThat(d.fallbacks()).extracting(ModelConfig::id).as("thinker is about 187 times cheap-a's estimate, o1 about 1,200 times").containsExactly("thinker");
        assertThat(d.costRatio(d.fallbacks().get(0))).isBetween(150.0, 200.0);
        assertThat(d.costRatio(d.model())).isEqualTo(1.0);
    }

    @Test
    void aFallbackOverTheRequestsCostBudgetIsNeverTriedWhateverTheRatio() {
        RouteDecision d = router.route(table, request(chat("escalating", "hi")), new Budget(0.01, null));

        assertThat(d.model().id()).isEqualTo("cheap-a");
        assertThat(d.fallbacks()).isEmpty();
        assertThat(candidate(router.explain(table, request(chat("escalating", "hi")), new Budget(0.01, null)), "thinker")
                .getString("reason")).contains("> budget $0.01");
    }

    @Test
    void aKeyLimitedToCheapAndAutoIsNeverRoutedToAReasoningModel() {
        Budget cheapOnly = Budget.NONE.allowing(AllowedModels.of("key key_1", java.util.List.of("cheap", "auto")));
        JsonObject body = chat("auto", "Please prove Fermat's little theorem");

        RouteDecision d = router.route(table, request(body), cheapOnly);
        JsonObject explained = router.explain(table, request(body), cheapOnly);

        assertThat(d.route()).isEqualTo("maths");
        assertThat(d.model().tier()).isEqualTo("cheap");
        assertThat(d.fallbacks()).allMatch(m -> m.tier().equals("cheap"));
        assertThat(d.note()).contains("may not use").contains("key key_1 (allows [cheap, auto])");
        assertThat(explained.getString("model")).isEqualTo(d.model().id());
        assertThat(candidate(explained, "thinker").getString("reason")).startsWith("not allowed: key key_1");
        assertThat(router.route(table, request(chat("escalating", "hi")), cheapOnly).fallbacks())
                .as("route fallbacks are held to the key too").isEmpty();
    }

    @Test
    void aListOfRoutingAliasesAloneLimitsWhatMayBeAskedNotWhereTheRulesSendIt() {
        Budget autoOnly = Budget.NONE.allowing(AllowedModels.of("key key_1", java.util.List.of("auto")));

        assertThat(router.route(table, request(chat("auto", "Please prove it")), autoOnly).model().id()).isEqualTo("thinker");
    }

    @Test
    void aKeyAllowingNoModelThatCanBeServedIsRefused() {
        Budget nothing = Budget.NONE.allowing(AllowedModels.of("team 'x'", java.util.List.of("gpt-9", "auto")));

        assertThatThrownBy(() -> router.route(table, request(chat("auto", "hi")), nothing))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RoutingException.Kind.NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("team 'x' (allows [gpt-9, auto])");
                });
    }

    private static JsonObject candidate(JsonObject explained, String model) {
        return explained.getJsonArray("candidates").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("model").equals(model)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void fallbacksFollowTheCandidatesAndTimeoutBecomesTheDeadline() {
        RouteDecision d = route(chat("reasoning", "hi"));

        assertThat(d.fallbacks()).extracting(ModelConfig::id).containsExactly("o1", "cheap-a");
        assertThat(d.deadlineMs()).isEqualTo(60_000L);
    }

    @Test
    void aConcreteModelGoesDirectUnlessARuleNamingItClaimsIt() {
        RouteDecision direct = route(chat("o1", "please prove it"));
        RouteDecision policy = router.route(table, request(chat("o1", "hi"), MultiMap.caseInsensitiveMultiMap(), "team-b"), Budget.NONE);

        assertThat(direct.route()).isEqualTo("direct");
        assertThat(direct.model().id()).isEqualTo("o1");
        assertThat(policy.route()).isEqualTo("o1-policy");
        assertThat(policy.model().id()).isEqualTo("thinker");
    }

    @Test
    void orderedKeepsTheListSkippingModelsWithoutAProviderAndCanTurnCachingOff() {
        RouteDecision d = route(chat("ordered", "hi"));

        assertThat(d.model().id()).isEqualTo("thinker");
        assertThat(d.fallbacks()).extracting(ModelConfig::id).containsExactly("cheap-a");
        assertThat(d.cache()).isEqualTo(CacheMode.OFF);
    }

    @Test
    void weightedPicksInProportionToWeights() {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            picks.merge(route(chat("weighted", "hi")).model().id(), 1, Integer::sum);
        }

        assertThat(picks.get("cheap-b") / (double) picks.get("cheap-a")).isBetween(2.5, 3.5);
    }

    @Test
    void fastestFollowsObservedLatency() {
        assertThat(route(chat("fastest", "hi")).model().id()).isEqualTo("cheap-b");

        ModelConfig slowB = table.catalog().model("cheap-b").orElseThrow();
        for (int i = 0; i < 30; i++) {
            latency.record(slowB, 100, 9_000);
        }

        assertThat(route(chat("fastest", "hi")).model().id()).isEqualTo("cheap-a");
    }

    @Test
    void capabilitiesKeepToolsAwayFromModelsWithoutThem() {
        JsonObject body = chat("auto", "weather?").put("tools", new JsonArray().add(new JsonObject().put("type", "function")));

        RouteDecision d = route(body);

        assertThat(d.model().id()).isEqualTo("cheap-a");
        assertThat(d.fallbacks()).isEmpty();
    }

    @Test
    void theContextWindowKeepsLongPromptsAwayFromSmallModels() {
        RouteDecision d = route(chat("auto", "hi").put("max_tokens", 10_000));

        assertThat(d.model().id()).isEqualTo("cheap-a");
    }

    @Test
    void aCostBudgetHeaderSendsAReasoningRequestToTheCheapestModelWithANote() {
        RouteDecision d = router.route(table, request(chat("auto", "Please prove this")), new Budget(0.0005, null));

        assertThat(d.route()).isEqualTo("maths");
        assertThat(d.model().id()).isEqualTo("cheap-b");
        assertThat(d.note()).contains("estimated cost $").contains("over the budget of $0.0005").contains("cheap-b");
    }

    @Test
    void aRouteThatRejectsOverBudgetRequestsSaysEstimateAndBudget() {
        assertThatThrownBy(() -> route(chat("strict", "hi")))
                .isInstanceOfSatisfying(RoutingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RoutingException.Kind.OVER_BUDGET);
                    assertThat(e.getMessage()).contains("estimated cost $0.04").contains("thinker").contains("budget of $0.001");
                });
    }

    @Test
    void aLatencyBudgetDropsSlowCandidatesAndCapsTheDeadline() {
        RouteDecision d = route(chat("tight", "hi"));

        assertThat(d.model().tier()).isEqualTo("cheap");
        assertThat(d.note()).contains("expected latency").contains("budget of 1000 ms");
        assertThat(d.deadlineMs()).isEqualTo(1000L);
    }

    @Test
    void theHeaderBudgetAndTheRouteBudgetCombineToTheTighter() {
        RouteDecision d = router.route(table, request(chat("reasoning", "hi")), new Budget(null, 500L));

        assertThat(d.deadlineMs()).isEqualTo(500L);
    }

    @Test
    void unknownModelsAndEmbeddingModelsAreRefused() {
        assertThatThrownBy(() -> route(chat("gpt-9", "hi"))).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.kind()).isEqualTo(RoutingException.Kind.UNKNOWN_MODEL));
        assertThatThrownBy(() -> route(chat("embed", "hi"))).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.kind()).isEqualTo(RoutingException.Kind.WRONG_MODEL));
        assertThatThrownBy(() -> route(chat("far-away", "hi"))).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.getMessage()).contains("provider 'unconfigured' is not configured"));
    }

    @Test
    void explainAgreesWithTheDecisionAndSaysWhyEachRuleDidOrDidNotMatch() {
        JsonObject body = chat("auto", "Please prove it");
        RouteDecision d = route(body);

        JsonObject explanation = router.explain(table, request(body), Budget.NONE);

        assertThat(explanation.getString("route")).isEqualTo(d.route());
        assertThat(explanation.getString("model")).isEqualTo(d.model().id());
        assertThat(explanation.getDouble("estimated_cost_usd")).isEqualTo(d.estimatedCostUsd());
        JsonArray rules = explanation.getJsonArray("rules");
        assertThat(rules.getJsonObject(0).getString("reason")).contains("model is 'auto'");
        assertThat(rules.getJsonObject(rules.size() - 1).getBoolean("matched")).isTrue();
        assertThat(explanation.getJsonArray("candidates").getJsonObject(0).getString("status")).isEqualTo("chosen");
    }

    @Test
    void explainReportsARefusal() {
        JsonObject explanation = router.explain(table, request(chat("strict", "hi")), Budget.NONE);

        assertThat(explanation.getJsonObject("error").getString("kind")).isEqualTo("over_budget");
    }

    private RouteDecision route(JsonObject body) {
        return router.route(table, request(body), Budget.NONE);
    }
}
