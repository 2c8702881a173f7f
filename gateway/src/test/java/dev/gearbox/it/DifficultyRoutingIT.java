package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in rules route {@code auto} by the reasoning-need score: explain shows the score, the reasons
 * behind it and the route it chose, and a real request through the HTTP server goes where explain said.
 */
@Timeout(60)
class DifficultyRoutingIT {

    private static final String ADMIN = "Bearer admin-secret";
    private static final String PROOF = "Prove step by step that there are infinitely many primes p = 4k+3.";
    private static final String TRANSLATION = "Translate 'good morning' into French.";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("admin_token: \"${ADMIN_TOKEN}\""), java.util.Map.of("ADMIN_TOKEN", "admin-secret"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void sendsAHardPromptToReasoningByItsScoreAndExplainShowsTheScoreAndItsReasons() {
        JsonObject explained = explain(PROOF);
        HttpResponse<String> real = gateway.post("/v1/chat/completions", body(PROOF));

        assertThat(explained.getDouble("difficulty")).isGreaterThan(0.5);
        assertThat(explained.getString("route")).isEqualTo("needs-reasoning");
        assertThat(explained.getString("tier")).isEqualTo("reasoning");
        assertThat(explained.getString("effort")).isIn("low", "medium", "high");
        JsonArray reasons = explained.getJsonArray("difficulty_reasons");
        assertThat(reasons.stream().map(JsonObject.class::cast))
                .anySatisfy(r -> {
                    assertThat(r.getString("kind")).isEqualTo("signal");
                    assertThat(r.getString("name")).isEqualTo("proof or derivation");
                    assertThat(r.getJsonArray("matched").getList()).contains("prove");
                    assertThat(r.getDouble("contribution")).isPositive();
                });
        assertThat(reasons.getJsonObject(reasons.size() - 1).getString("kind")).isEqualTo("base");
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(real.headers().firstValue("x-gearbox-route")).hasValue("needs-reasoning");
        assertThat(real.headers().firstValue("x-gearbox-tier")).hasValue("reasoning");
    }

    @Test
    void sendsAnEasyPromptToTheCheapTierAndExplainSaysWhyNot() {
        JsonObject explained = explain(TRANSLATION);
        HttpResponse<String> real = gateway.post("/v1/chat/completions", body(TRANSLATION));

        double score = explained.getDouble("difficulty");
        assertThat(score).isBetween(0.0, 0.5);
        assertThat(explained.getString("route")).isEqualTo("default");
        JsonObject learned = explained.getJsonArray("rules").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("name").equals("needs-reasoning")).findFirst().orElseThrow();
        assertThat(learned.getString("reason")).isEqualTo(String.format(java.util.Locale.ROOT, "difficulty is %.3f, not above 0.5", score));
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(real.headers().firstValue("x-gearbox-route")).hasValue("default");
        assertThat(real.headers().firstValue("x-gearbox-tier")).hasValue("cheap");
    }

    private static String body(String prompt) {
        return new JsonObject().put("model", "auto").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", prompt))).encode();
    }

    private static JsonObject explain(String prompt) {
        HttpResponse<String> response = gateway.post("/admin/routes/explain", body(prompt), "authorization", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
