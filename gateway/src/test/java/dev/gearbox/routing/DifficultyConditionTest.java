package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.CLOCK;
import static dev.gearbox.routing.RoutingFixtures.MODELS;
import static dev.gearbox.routing.RoutingFixtures.chat;
import static dev.gearbox.routing.RoutingFixtures.config;
import static dev.gearbox.routing.RoutingFixtures.request;
import static dev.gearbox.routing.RoutingFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.ShareTracker;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class DifficultyConditionTest {

    private static final String WORD_PROBLEM = "Janet has 3 apples. She buys 5 more bags of 12 apples each and gives "
            + "away a third of them. How many apples does she have left?";
    private final Router router = new Router(new LatencyStats(), new SplittableRandom(0));

    @Test
    void routesByAFixedScoreAndSaysWhyNot() {
        RoutingTable table = table("""
                aliases: [auto]
                routes:
                  - name: hard
                    when: {difficulty: {above: 0.6}}
                    then: {tier: reasoning}
                  - name: default
                    then: {tier: cheap}
                """);
        double hard = DifficultyModel.shipped().score(WORD_PROBLEM);
        double easy = DifficultyModel.shipped().score("Translate 'good morning' into French.");
        assertThat(hard).isGreaterThan(0.6);
        assertThat(easy).isLessThan(0.6);

        assertThat(router.route(table, request(chat("auto", WORD_PROBLEM)), Budget.NONE).route()).isEqualTo("hard");
        JsonObject explained = router.explain(table, request(chat("auto", "Translate 'good morning' into French.")), Budget.NONE);

        assertThat(explained.getString("route")).isEqualTo("default");
        assertThat(explained.getDouble("difficulty")).isEqualTo(easy);
        assertThat(explained.getJsonArray("rules").getJsonObject(0).getString("reason"))
                .isEqualTo(String.format(java.util.Locale.ROOT, "difficulty is %.3f, not above 0.6", easy));
    }

    @Test
    void refusesAThresholdOrShareOutOfRangeNamingFileLineAndField() {
        assertProblem("when: {difficulty: {above: 1.5}}",
                "test/routes.yaml: line 3: routes[0].when.difficulty.above: 1.5 (expected: >= 0 and < 1, a score)");
        assertProblem("when: {difficulty: {above: -0.1}}", "routes[0].when.difficulty.above: -0.1 (expected: >= 0 and < 1, a score)");
        assertProblem("when: {difficulty: {target_share: 0}}",
                "routes[0].when.difficulty.target_share: 0 (expected: > 0 and < 1, a share of requests)");
        assertProblem("when: {difficulty: {target_share: high}}", "routes[0].when.difficulty.target_share: 'high' (expected: a number)");
        assertProblem("when: {difficulty: {below: 0.2}}", "routes[0].when.difficulty.below: unknown field (expected one of: above, target_share)");
        assertProblem("when: {difficulty: 0.5}", "routes[0].when.difficulty: expected {above: <score from 0 to 1>} or {target_share:");
    }

    @Test
    void targetShareHoldsItsShareOver5000RequestsOfMixedDifficulty() throws IOException {
        RoutingTable table = table("""
                aliases: [auto]
                routes:
                  - name: hardest-quarter
                    when: {difficulty: {target_share: 0.25}}
                    then: {tier: reasoning}
                  - name: default
                    then: {tier: cheap}
                """);
        // Real prompts, shuffled: mostly knowledge questions, some maths word problems and open-ended tasks;
        // then a harder stretch of maths only, which a fixed threshold would send to reasoning far too often.
        List<String> mixed = new ArrayList<>();
        List<String> maths = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                getClass().getResourceAsStream(DifficultyModel.CORPUS)), StandardCharsets.UTF_8))) {
            // routing-eval's prompts: the corpus's lines with measured scores.
            in.lines().map(JsonObject::new).filter(row -> row.containsKey("weak_score")).forEach(row -> {
                mixed.add(row.getString("prompt"));
                if (row.getString("group").equals("gsm8k")) {
                    maths.add(row.getString("prompt"));
                }
            });
        }
        Collections.shuffle(mixed, new Random(5));
        Collections.shuffle(maths, new Random(6));
        List<String> stream = new ArrayList<>(mixed.subList(0, 4400));
        stream.addAll(maths.subList(0, 600));

        int reasoning = 0;
        int reasoningOnMixed = 0;
        int reasoningOnMaths = 0;
        for (int i = 0; i < stream.size(); i++) {
            RouteDecision d = router.route(table, request(chat("auto", stream.get(i))), Budget.NONE);
            boolean hard = d.tier().equals("reasoning");
            reasoning += hard ? 1 : 0;
            reasoningOnMixed += hard && i >= 500 && i < 4400 ? 1 : 0;
            reasoningOnMaths += hard && i >= 4600 ? 1 : 0;
        }

        assertThat(reasoning / 5000.0).as("share of reasoning over all 5000").isBetween(0.22, 0.28);
        assertThat(reasoningOnMixed / 3900.0).as("share of reasoning on mixed traffic").isBetween(0.22, 0.28);
        // The threshold rises with the harder traffic: a fixed 0.75 would send 49% of the last 400 up.
        assertThat(reasoningOnMaths / 400.0).as("share of reasoning on the maths stretch").isBetween(0.2, 0.33);
    }

    @Test
    void explainingRequestsLeavesTheTargetShareThresholdAlone() {
        RoutingTable table = table("""
                aliases: [auto]
                routes:
                  - name: hardest-tenth
                    when: {difficulty: {target_share: 0.1}}
                    then: {tier: reasoning}
                  - name: default
                    then: {tier: cheap}
                """);
        ShareTracker tracker = ((DifficultyCondition.TargetShare) table.rules().get(0).when()).tracker();
        for (int i = 0; i < 400; i++) {
            router.explain(table, request(chat("auto", "Translate 'good morning' into French.")), Budget.NONE);
        }
        assertThat(tracker.threshold()).isEqualTo(0.9);

        for (int i = 0; i < 400; i++) {
            router.route(table, request(chat("auto", "Translate 'good morning' into French.")), Budget.NONE);
        }
        assertThat(tracker.threshold()).isLessThan(0.9);
    }

    private static void assertProblem(String when, String expected) {
        String routes = """
                routes:
                  - name: hard
                    %s
                    then: {tier: reasoning}
                  - name: default
                    then: {tier: cheap}
                """.formatted(when);
        assertThatThrownBy(() -> RulesCompiler.forGateway(config(), CLOCK).compile(new RulesText(MODELS, routes, "test")))
                .isInstanceOfSatisfying(RulesException.class, e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected)));
    }
}
