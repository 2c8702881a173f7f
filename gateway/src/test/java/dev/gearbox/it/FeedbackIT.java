package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/feedback} through the real server: taken from the tenant that made the request, a 404 in
 * OpenAI's shape for anyone else, kept over a restart with the file store and shared by replicas with Redis.
 */
@Timeout(90)
class FeedbackIT {

    private static final String KEY_A = "sk-team-a-0123456789";
    private static final String KEY_B = "sk-team-b-0123456789";
    private static final Map<String, String> ENV = Map.of("KEY_A", KEY_A, "KEY_B", KEY_B);

    @Test
    void acceptsFeedbackFromTheRequestsTenantAndIsA404ForAnyoneElse() {
        try (TestGateway gateway = TestGateway.start(config("quality: {}\n"), ENV)) {
            String id = ask(gateway, KEY_A, "What is the capital of France?");

            HttpResponse<String> ours = scored(gateway, KEY_A, id, 0.25);
            HttpResponse<String> theirs = feedback(gateway, KEY_B, id, 0.2);
            HttpResponse<String> unknown = feedback(gateway, KEY_A, "no-such-request", 0.2);

            assertThat(ours.statusCode()).as(ours.body()).isEqualTo(200);
            assertThat(new JsonObject(ours.body())).isEqualTo(new JsonObject().put("object", "feedback").put("request_id", id)
                    .put("score", 0.25).put("recorded", true));
            JsonObject refused = assertError(theirs, 404, "invalid_request_error");
            assertThat(refused.getString("code")).isEqualTo("request_not_found");
            assertThat(refused.getString("param")).isEqualTo("request_id");
            assertThat(theirs.body()).doesNotContain("team-a");
            assertThat(assertError(unknown, 404, "invalid_request_error").getString("message"))
                    .isEqualTo(refused.getString("message").replace(id, "no-such-request"));
            JsonObject route = onlyRoute(gateway);
            assertThat(route.getJsonObject("feedback")).isEqualTo(new JsonObject().put("count", 1).put("mean", 0.25));

            JsonObject label = new JsonObject(gateway.get("/admin/quality/labels").body().strip());
            assertThat(label.getString("request_id")).isEqualTo(id);
            assertThat(label.getString("source")).isEqualTo("feedback");
            assertThat(label.getString("tier")).isEqualTo("cheap");
            assertThat(label.getDouble("label")).isEqualTo(0.75);
            assertThat(label.getString("features")).startsWith("f1.");
            assertThat(label.containsKey("messages")).as("no text without store_text").isFalse();
            assertThat(label.encode()).doesNotContain("capital");
        }
    }

    @Test
    void refusesMalformedFeedbackNamingTheField() {
        try (TestGateway gateway = TestGateway.start(config("quality: {}\n"), ENV)) {
            String id = ask(gateway, KEY_A, "Hello");

            assertError(gateway.post("/v1/feedback", new JsonObject().put("request_id", id).put("score", 1.5).encode(),
                    "authorization", "Bearer " + KEY_A), 400, "invalid_request_error");
            HttpResponse<String> noScore = gateway.post("/v1/feedback", new JsonObject().put("request_id", id).encode(),
                    "authorization", "Bearer " + KEY_A);
            assertThat(new JsonObject(noScore.body()).getJsonObject("error").getString("param")).isEqualTo("score");
            assertThat(new JsonObject(noScore.body()).getJsonObject("error").getString("message"))
                    .isEqualTo("'score' is missing; expected a number from 0 (the answer did not help) to 1 (it did).");
            assertError(gateway.post("/v1/feedback", "{not json", "authorization", "Bearer " + KEY_A), 400,
                    "invalid_request_error");
            assertError(gateway.post("/v1/feedback", new JsonObject().put("request_id", id).put("score", 1).encode()),
                    401, "invalid_request_error");
        }
    }

    @Test
    void keepsFeedbackAndTheRequestsOpenToItOverARestartWithTheFileStore(@TempDir Path dir) {
        String config = config("""
                state: {file: "%s"}
                quality: {}
                """.formatted(dir.resolve("state.json")));
        String scoredBefore;
        String scoredAfter;
        try (TestGateway before = TestGateway.start(config, ENV)) {
            scoredBefore = ask(before, KEY_A, "Name three rivers.");
            scoredAfter = ask(before, KEY_A, "Name three lakes.");
            assertThat(scored(before, KEY_A, scoredBefore, 1).statusCode()).isEqualTo(200);
            scored(before, KEY_A, scoredAfter, 0.9);
        }
        assertThat(dir.resolve("quality.json")).exists();

        try (TestGateway after = TestGateway.start(config, ENV)) {
            assertThat(feedback(after, KEY_A, scoredAfter, 0).statusCode()).as("a request made before the restart, scored again")
                    .isEqualTo(200);

            assertThat(onlyRoute(after).getJsonObject("feedback")).isEqualTo(new JsonObject().put("count", 2).put("mean", 0.5));
            assertThat(after.get("/admin/quality/labels").body().strip().split("\n")).hasSize(2);
        }
    }

    @Test
    void aSecondReplicaTakesAndShowsFeedbackWithRedis(@TempDir Path dir) {
        try (RedisServer redis = RedisServer.start(dir)) {
            String config = config(redis.stateConfig("fail_closed") + "quality: {}\n");
            TestGateway first = null;
            TestGateway second = null;
            try {
                first = TestGateway.start(config, ENV);
                second = TestGateway.start(config, ENV);
                String id = ask(first, KEY_A, "Suggest a name for a cat.");

                HttpResponse<String> taken = scored(second, KEY_A, id, 0.5);
                assertThat(feedback(second, KEY_B, id, 0.5).statusCode()).isEqualTo(404);

                assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
                for (TestGateway replica : List.of(first, second)) {
                    assertThat(onlyRoute(replica).getJsonObject("feedback")).isEqualTo(new JsonObject().put("count", 1)
                            .put("mean", 0.5));
                }
                // Meters count what their own replica did: the replica that took the feedback.
                assertThat(second.get("/metrics").body()).containsPattern(
                        "gearbox_quality_feedback_score_count\\{route=\"default\",tier=\"cheap\"} 1(\\.0)?\n");
            } finally {
                TestGateway.closeAll(first, second);
            }
        }
    }

    private static String ask(TestGateway gateway, String key, String prompt) {
        HttpResponse<String> answer = gateway.post("/v1/chat/completions", new JsonObject().put("model", "auto")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode(),
                "authorization", "Bearer " + key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("x-request-id").orElseThrow();
    }

    /** Feedback on a request just answered: it is kept for feedback as its response ends, a moment after the client has it. */
    private static HttpResponse<String> scored(TestGateway gateway, String key, String id, double score) {
        HttpResponse<String>[] last = new HttpResponse[1];
        Eventually.await(Duration.ofSeconds(5), "request " + id + " open to feedback",
                () -> (last[0] = feedback(gateway, key, id, score)).statusCode() != 404);
        return last[0];
    }

    private static HttpResponse<String> feedback(TestGateway gateway, String key, String id, double score) {
        return gateway.post("/v1/feedback", new JsonObject().put("request_id", id).put("score", score).encode(),
                "authorization", "Bearer " + key);
    }

    private static JsonObject onlyRoute(TestGateway gateway) {
        JsonArray routes = new JsonObject(gateway.get("/admin/quality").body()).getJsonArray("routes");
        assertThat(routes).hasSize(1);
        return routes.getJsonObject(0);
    }

    private static String config(String extra) {
        return TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${KEY_A}", tenant: team-a}
                  - {key: "${KEY_B}", tenant: team-b}
                """) + extra;
    }
}
