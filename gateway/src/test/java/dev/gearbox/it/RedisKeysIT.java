package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways sharing one real Redis hold one set of keys, rate limits and budgets; a Redis outage gives
 * the configured fail-open or fail-closed behaviour and both recover when it is back. The outage test
 * runs last, so the others see a Redis that is up.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisKeysIT {

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static TestGateway one;
    private static TestGateway two;
    private static TestGateway open;
    /**
     * The replicas' one clock, stopped mid-minute so a per-minute limit cannot reset during a test, and a
     * day ahead of the real time, so what Redis expires by its own clock (key TTLs) outlives every test.
     */
    private static final MutableClock CLOCK = new MutableClock(
            Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(1)).plusSeconds(30));

    @BeforeAll
    static void start() {
        redis = RedisServer.start(dir);
        one = gateway("fail_closed");
        two = gateway("fail_closed");
        open = gateway("fail_open");
    }

    private static TestGateway gateway(String onUnavailable) {
        return TestGateway.start(TestGateway.simulatedConfig("") + redis.stateConfig(onUnavailable), Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two, open);
        redis.close();
    }

    @Test
    @Order(1)
    void twoReplicasEnforceOneRequestsPerMinuteLimitTogether() {
        one.post("/admin/teams", "{\"id\":\"rpm-team\",\"rpm\":10}");
        JsonObject key = createdKey(one, "rpm-team");
        String secret = key.getString("key");
        // Not by sending it a request: a replica that knows no key yet serves everyone, uncounted.
        awaitKnown(two, key.getString("id"));
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            TestGateway to = i % 2 == 0 ? one : two;
            HttpResponse<String> response = to.send(VirtualKeysIT.chatRequest(to, secret, "sim-cheap", false));
            if (response.statusCode() == 200) {
                ok++;
            } else {
                assertThat(assertError(response, 429, "requests").getString("code")).isEqualTo("rate_limit_exceeded");
                refused++;
            }
        }
        // The clock stands still, so all 20 fall in one minute: exactly the limit got through, across both.
        assertThat(ok).isEqualTo(10);
        assertThat(refused).isEqualTo(10);
    }

    @Test
    @Order(2)
    void twoReplicasUnderConcurrentLoadStayWithinOneSharedBudget() {
        double budget = 0.001;
        one.post("/admin/teams", "{\"id\":\"budget-team\",\"budget_usd\":{\"total\":" + budget + "}}");
        JsonObject key = createdKey(one, "budget-team");
        String secret = key.getString("key");
        awaitKnown(two, key.getString("id"));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TestGateway to = i % 2 == 0 ? one : two;
            calls.add(TestGateway.http().sendAsync(VirtualKeysIT.chatRequest(to, secret, "sim-cheap", false),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
        assertThat(ok).isLessThan(100);
        Eventually.await(Duration.ofSeconds(5), "every answer settled",
                () -> usage(two, "budget-team").getLong("requests") == ok);
        assertThat(usage(one, "budget-team").getDouble("spend_usd")).isPositive().isLessThanOrEqualTo(budget);
    }

    @Test
    @Order(3)
    void aKeyRevokedOnOneReplicaIsRefusedByTheOtherWithinASecond() {
        one.post("/admin/teams", "{\"id\":\"revoke-team\"}");
        JsonObject key = new JsonObject(one.post("/admin/keys", "{\"team\":\"revoke-team\"}").body());
        String secret = key.getString("key");
        awaitKnown(two, key.getString("id"));
        assertThat(two.send(VirtualKeysIT.chatRequest(two, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
        assertThat(one.send(HttpRequest.newBuilder(URI.create(one.baseUrl() + "/admin/keys/" + key.getString("id")))
                .DELETE().build()).statusCode()).isEqualTo(200);
        long revoked = System.nanoTime();
        Eventually.await(Duration.ofSeconds(1), "the revoked key refused by the other replica",
                () -> two.send(VirtualKeysIT.chatRequest(two, secret, "sim-cheap", false)).statusCode() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(4)
    void latencyObservedByOneReplicaReachesTheOthersRouting() {
        one.post("/admin/teams", "{\"id\":\"latency-team\"}");
        JsonObject key = createdKey(one, "latency-team");
        String secret = key.getString("key");
        awaitKnown(two, key.getString("id"));
        String body = "{\"model\":\"sim-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // Explain answers an unknown key's refusal in its body, with the status the real request would get.
        Eventually.await(Duration.ofSeconds(2), "the key known on the second replica", () -> !new JsonObject(two.post(
                "/admin/routes/explain", body, "x-gearbox-api-key", "Bearer " + secret).body()).containsKey("refused"));
        assertThat(expectedLatencyOnTwo(secret, body)).as("the seed, before any call").isGreaterThanOrEqualTo(5000);
        for (int i = 0; i < 15; i++) {
            assertThat(one.post("/v1/chat/completions", body, "authorization", "Bearer " + secret).statusCode()).isEqualTo(200);
        }
        // The simulated model answers at once: one's average falls far below the 5 s seed, and two, which has
        // not served it, routes by that within a couple of sharing rounds.
        Eventually.await(Duration.ofSeconds(5), "the second replica expecting the first's latency",
                () -> expectedLatencyOnTwo(secret, body) < 1000);
    }

    private static long expectedLatencyOnTwo(String secret, String body) {
        HttpResponse<String> explained = two.post("/admin/routes/explain", body, "x-gearbox-api-key", "Bearer " + secret);
        assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        return new JsonObject(explained.body()).getJsonArray("candidates").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("model").equals("sim-reasoning")).findFirst().orElseThrow()
                .getLong("expected_latency_ms");
    }

    @Test
    @Order(5)
    void aRedisOutageFailsClosedOrOpenAsConfiguredAndNothingIsLostWhenItReturns() {
        // Counted exactly, so each request meets the outage (a leased team is served from its lease: LeaseOutageIT).
        one.post("/admin/teams", "{\"id\":\"outage\",\"rpm\":1000,\"budget_usd\":{\"daily\":5},\"accounting\":\"exact\"}");
        JsonObject key = createdKey(one, "outage");
        String secret = key.getString("key");
        awaitKnown(open, key.getString("id"));
        assertThat(open.send(VirtualKeysIT.chatRequest(open, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
        assertThat(one.send(VirtualKeysIT.chatRequest(one, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
        Eventually.await(Duration.ofSeconds(5), "both requests settled", () -> usage(one, "outage").getLong("requests") == 2);

        redis.stop();
        try {
            JsonObject closed = assertError(one.send(VirtualKeysIT.chatRequest(one, secret, "sim-cheap", false)), 503,
                    "server_error");
            assertThat(closed.getString("code")).isEqualTo("limits_unavailable");
            for (int i = 0; i < 3; i++) {
                assertThat(open.send(VirtualKeysIT.chatRequest(open, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> ready = one.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("state_store").contains("fail_closed");
            assertThat(open.get("/health/ready").body()).contains("fail_open");
        } finally {
            redis.start();
        }
        Eventually.await(Duration.ofSeconds(5), "the fail-closed replica serving again",
                () -> one.send(VirtualKeysIT.chatRequest(one, secret, "sim-cheap", false)).statusCode() == 200);
        // 2 before, 3 served open during the outage (settled when Redis came back), 1 after; the refused one is not counted.
        Eventually.await(Duration.ofSeconds(5), "the outage's requests reconciled",
                () -> usage(one, "outage").getLong("requests") == 6);
        assertThat(one.get("/health/ready").body()).doesNotContain("degraded");
    }

    private static JsonObject createdKey(TestGateway on, String team) {
        HttpResponse<String> created = on.post("/admin/keys", "{\"team\":\"" + team + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body());
    }

    /** Waits until the replica lists the key, so it admits and counts the key's requests. */
    private static void awaitKnown(TestGateway on, String id) {
        Eventually.await(Duration.ofSeconds(2), "key " + id + " known on the replica",
                () -> on.get("/admin/keys").body().contains("\"" + id + "\""));
    }

    private static JsonObject usage(TestGateway on, String team) {
        HttpResponse<String> response = on.get("/admin/usage?team=" + team);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
