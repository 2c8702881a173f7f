package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.chat;
import static dev.gearbox.routing.RoutingFixtures.request;
import static dev.gearbox.routing.RoutingFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestSnapshotTest {

    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - name: long
                when: {prompt_tokens: {gt: 50}}
                then: {models: [o1]}
              - name: tooling
                when: {has_tools: true, stream: true}
                then: {models: [cheap-a]}
              - name: labelled
                when: {metadata: {team: search}, tenant: team-a}
                then: {models: [thinker]}
              - name: hard
                when: {difficulty: {above: 0.5}}
                then: {tier: reasoning}
              - name: default
                then: {tier: cheap}
            """;

    private final RoutingTable table = table(ROUTES);
    private final Router router = new Router(new LatencyStats(), new SplittableRandom(1));

    @Test
    void aReplayedSnapshotIsRoutedAsTheRequestWasWithoutItsText() {
        JsonObject hard = chat("auto", "Prove that there are infinitely many primes of the form 4k+3.");
        JsonObject tooling = chat("auto", "What time is it?").put("stream", true)
                .put("tools", new JsonArray().add(new JsonObject().put("type", "function")));
        JsonObject labelled = chat("auto", "hello").put("metadata", new JsonObject().put("team", "search"));
        JsonObject longOne = chat("auto", "word ".repeat(400));

        for (JsonObject body : new JsonObject[] {hard, tooling, labelled, longOne, chat("auto", "hi")}) {
            RequestFeatures live = request(body);
            RouteDecision routed = router.route(table, live, Budget.NONE);
            RequestSnapshot snapshot = RequestSnapshot.of(live, 0);

            RequestFeatures replayed = snapshot.features(TokenCounter.shared());
            RouteDecision again = router.route(table, replayed, Budget.NONE);

            assertThat(again.route()).as(body.encode()).isEqualTo(routed.route());
            assertThat(again.model().id()).as(body.encode()).isEqualTo(routed.model().id());
            assertThat(snapshot.hasText()).isFalse();
            assertThat(replayed.readWithheld()).as("no rule here reads text or headers").isFalse();
        }
    }

    @Test
    void aRuleThatReadsTextASnapshotDidNotKeepMarksTheReplayAsAGuess() {
        RoutingTable byText = table("""
                aliases: [auto]
                routes:
                  - {name: maths, when: {last_user_message: {keywords: [prove]}}, then: {tier: reasoning}}
                  - {name: default, then: {tier: cheap}}
                """);
        RequestFeatures live = request(chat("auto", "Prove it"));
        assertThat(router.route(byText, live, Budget.NONE).route()).isEqualTo("maths");

        RequestFeatures withoutText = RequestSnapshot.of(live, 0).features(TokenCounter.shared());
        assertThat(router.route(byText, withoutText, Budget.NONE).route()).isEqualTo("default");
        assertThat(withoutText.readWithheld()).isTrue();

        RequestFeatures withText = RequestSnapshot.of(live, 4096).features(TokenCounter.shared());
        assertThat(router.route(byText, withText, Budget.NONE).route()).isEqualTo("maths");
        assertThat(withText.readWithheld()).isFalse();
    }

    @Test
    void aSnapshotKeepsNoHeaderSoAHeaderRuleMarksTheReplayAsAGuess() {
        RoutingTable byHeader = table("""
                aliases: [auto]
                routes:
                  - {name: team, when: {header: {x-team: search}}, then: {tier: reasoning}}
                  - {name: default, then: {tier: cheap}}
                """);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-team", "search").add("authorization", "Bearer sk-secret");
        RequestFeatures live = request(chat("auto", "hi"), headers, "team-a");
        assertThat(router.route(byHeader, live, Budget.NONE).route()).isEqualTo("team");

        RequestSnapshot snapshot = RequestSnapshot.of(live, 4096);
        RequestFeatures replayed = snapshot.features(TokenCounter.shared());

        assertThat(router.route(byHeader, replayed, Budget.NONE).route()).isEqualTo("default");
        assertThat(replayed.readWithheld()).isFalse().as("text was kept; headers never are");
        assertThat(snapshot.toString()).doesNotContain("sk-secret");
    }

    @Test
    void aSnapshotRunsNoTokenizerThatRoutingDidNotRun() {
        RequestFeatures live = request(chat("auto", "What is the capital of France?"));
        router.route(table("""
                aliases: [auto]
                routes:
                  - {name: default, then: {tier: cheap}}
                """), live, Budget.NONE);

        RequestSnapshot snapshot = RequestSnapshot.of(live, 0);

        assertThat(snapshot.promptTokensCounted()).isFalse();
        assertThat(snapshot.promptTokens()).isEqualTo(live.approxPromptTokens());
        assertThat(snapshot.difficulty()).as("no route asked for the score").isNaN();
    }

    @Test
    void aSnapshotRefusesImpossibleCounts() {
        assertThatThrownBy(() -> new RequestSnapshot(null, "t", null, null, Map.of(), false, null, null, false, false, 0, -1,
                0, false, Double.NaN, null, null)).hasMessageContaining("expected: >= 0");
        assertThatThrownBy(() -> new RequestSnapshot(null, "t", null, null, Map.of(), false, null, null, false, false, 0, 1,
                0, false, 1.5, null, null)).hasMessageContaining("difficulty: 1.5");
        assertThatThrownBy(() -> new RequestSnapshot(null, "t", null, null, Map.of(), false, null, null, false, false, 0, 1,
                0, false, 0.5, "text", null)).hasMessageContaining("both kept or neither");
    }
}
