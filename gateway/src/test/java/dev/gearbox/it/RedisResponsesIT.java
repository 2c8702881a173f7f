package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Redis configured, the Responses API's stored responses are shared by replicas: a response made on
 * one is continued, read and deleted on another, and stays its tenant's. A Redis outage refuses what must
 * read the store on both settings, and what would write it only when failing closed. The outage runs last.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisResponsesIT {

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static TestGateway one;
    private static TestGateway two;
    private static TestGateway open;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(dir);
        one = gateway("fail_closed");
        two = gateway("fail_closed");
        open = gateway("fail_open");
    }

    private static TestGateway gateway(String onUnavailable) {
        return TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${KEY_A}", tenant: team-a}
                  - {key: "${KEY_B}", tenant: team-b}
                """) + redis.stateConfig(onUnavailable), Map.of("KEY_A", "key-a", "KEY_B", "key-b"));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two, open);
        redis.close();
    }

    @Test
    @Order(1)
    void aResponseMadeOnOneReplicaIsContinuedAndReadOnTheOther() {
        JsonObject first = create(one, "key-a", new JsonObject().put("model", "cheap")
                .put("input", "My name is Ada and I write programs for the analytical engine."));
        JsonObject alone = create(two, "key-a", new JsonObject().put("model", "cheap").put("input", "What is my name?"));

        JsonObject continued = create(two, "key-a", new JsonObject().put("model", "cheap").put("input", "What is my name?")
                .put("previous_response_id", first.getString("id")));
        HttpResponse<String> read = two.get("/v1/responses/" + first.getString("id"), "authorization", "Bearer key-a");

        assertThat(continued.getString("previous_response_id")).isEqualTo(first.getString("id"));
        // The second replica put the first turn, which only the first replica answered, before the question.
        assertThat(continued.getJsonObject("usage").getLong("input_tokens"))
                .isGreaterThan(alone.getJsonObject("usage").getLong("input_tokens")
                        + first.getJsonObject("usage").getLong("output_tokens"));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(new JsonObject(read.body())).isEqualTo(first);
        assertThat(redis.command("PTTL gearbox:{team-a}:response:" + first.getString("id")))
                .as("kept with the TTL as Redis's expiry").matches(":\\d+").isNotEqualTo(":-1");
    }

    @Test
    @Order(2)
    void aResponseDeletedOnOneReplicaIsGoneOnTheOther() {
        String id = create(one, "key-a", new JsonObject().put("model", "cheap").put("input", "Tell me a fact")).getString("id");
        assertThat(two.get("/v1/responses/" + id, "authorization", "Bearer key-a").statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = one.send(HttpRequest.newBuilder(URI.create(one.baseUrl() + "/v1/responses/" + id))
                .header("authorization", "Bearer key-a").DELETE().build());

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(new JsonObject(deleted.body()).getBoolean("deleted")).isTrue();
        assertError(two.get("/v1/responses/" + id, "authorization", "Bearer key-a"), 404, "invalid_request_error");
        assertError(two.post("/v1/responses", new JsonObject().put("model", "cheap").put("input", "and?")
                .put("previous_response_id", id).encode(), "authorization", "Bearer key-a"), 404, "invalid_request_error");
    }

    @Test
    @Order(3)
    void anotherTenantsResponseIsNotFoundOnAnyReplica() {
        String id = create(one, "key-a", new JsonObject().put("model", "cheap").put("input", "A secret of team a"))
                .getString("id");

        assertError(two.get("/v1/responses/" + id, "authorization", "Bearer key-b"), 404, "invalid_request_error");
        JsonObject continued = assertError(two.post("/v1/responses", new JsonObject().put("model", "cheap")
                .put("input", "and?").put("previous_response_id", id).encode(), "authorization", "Bearer key-b"), 404,
                "invalid_request_error");
        assertThat(continued.getString("param")).isEqualTo("previous_response_id");
        HttpResponse<String> deleted = two.send(HttpRequest.newBuilder(URI.create(two.baseUrl() + "/v1/responses/" + id))
                .header("authorization", "Bearer key-b").DELETE().build());
        assertError(deleted, 404, "invalid_request_error");
        assertThat(one.get("/v1/responses/" + id, "authorization", "Bearer key-a").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aStreamedResponseIsStoredForTheOtherReplicaAtItsCleanEnd() {
        HttpResponse<String> streamed = one.post("/v1/responses", new JsonObject().put("model", "cheap")
                .put("input", "Count to three").put("stream", true).encode(), "authorization", "Bearer key-a");
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        int at = streamed.body().indexOf("\"id\":\"resp_");
        String id = streamed.body().substring(at + 6, streamed.body().indexOf('"', at + 6));

        // Kept after the last event was sent, so the other replica may be asked a moment before it lands.
        Eventually.await(Duration.ofSeconds(5), "the streamed response readable on the other replica",
                () -> two.get("/v1/responses/" + id, "authorization", "Bearer key-a").statusCode() == 200);
    }

    @Test
    @Order(5)
    void aRedisOutageRefusesReadsEitherWayAndWritesOnlyWhenFailingClosed() {
        String id = create(one, "key-a", new JsonObject().put("model", "cheap").put("input", "Before the outage"))
                .getString("id");
        redis.stop();
        try {
            String continuation = new JsonObject().put("model", "cheap").put("input", "and?")
                    .put("previous_response_id", id).encode();
            for (TestGateway g : new TestGateway[] {one, open}) {
                JsonObject read = assertError(g.get("/v1/responses/" + id, "authorization", "Bearer key-a"), 503,
                        "server_error");
                assertThat(read.getString("code")).isEqualTo("response_store_unavailable");
                JsonObject continued = assertError(g.post("/v1/responses", continuation, "authorization", "Bearer key-a"),
                        503, "server_error");
                assertThat(continued.getString("code")).isEqualTo("response_store_unavailable");
            }
            String stored = new JsonObject().put("model", "cheap").put("input", "During the outage").encode();
            HttpResponse<String> refused = one.post("/v1/responses", stored, "authorization", "Bearer key-a");
            assertThat(assertError(refused, 503, "server_error").getString("code")).isEqualTo("response_store_unavailable");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            // Failing open serves what would only be written, and keeps nothing; store: false never needed it.
            assertThat(open.post("/v1/responses", stored, "authorization", "Bearer key-a").statusCode()).isEqualTo(200);
            assertThat(one.post("/v1/responses", new JsonObject().put("model", "cheap").put("input", "Unstored")
                    .put("store", false).encode(), "authorization", "Bearer key-a").statusCode()).isEqualTo(200);
        } finally {
            redis.start();
        }
        Eventually.await(Duration.ofSeconds(5), "the fail-closed replica storing again", () -> one.post("/v1/responses",
                new JsonObject().put("model", "cheap").put("input", "After").encode(), "authorization", "Bearer key-a")
                .statusCode() == 200);
        assertThat(two.get("/v1/responses/" + id, "authorization", "Bearer key-a").statusCode()).isEqualTo(200);
    }

    private static JsonObject create(TestGateway on, String key, JsonObject body) {
        HttpResponse<String> response = on.post("/v1/responses", body.encode(), "authorization", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
