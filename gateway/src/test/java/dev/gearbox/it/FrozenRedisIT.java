package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code redis-server} frozen with SIGSTOP (connections open, nothing answered) for the seconds the
 * checks take, under replicas whose requests have two seconds. The team is counted exactly, a round trip per
 * request (a leased team is served from its lease meanwhile: {@code LeaseOutageIT}): each request learns within the store's
 * timeout that Redis is unreachable, the fail mode answers (503 failing closed, served failing open),
 * readiness says the store is degraded, and once Redis goes on nothing is left behind: what it ran late
 * holds no reservation, and every request served meanwhile is in the ledger once.
 */
@Timeout(120)
class FrozenRedisIT {

    /** Well inside the two-second deadline, and well beyond the store's 500 ms timeout. */
    private static final Duration PROMPT = Duration.ofMillis(1_500);

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static TestGateway closed;
    private static TestGateway open;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(dir);
        closed = gateway("fail_closed");
        open = gateway("fail_open");
    }

    private static TestGateway gateway(String onUnavailable) {
        return TestGateway.start(TestGateway.simulatedConfig("") + """
                state:
                  redis: {url: "%s", on_unavailable: %s, timeout_ms: 500}
                resilience:
                  defaults: {total_timeout_ms: 2000}
                """.formatted(redis.url(), onUnavailable));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(closed, open);
        redis.close();
    }

    @Test
    void aFrozenRedisIsKnownWithinItsTimeoutTheFailModeAnswersAndNothingIsLeftBehindWhenItGoesOn() {
        assertThat(closed.post("/admin/teams",
                "{\"id\":\"frozen\",\"max_concurrent\":2,\"budget_usd\":{\"daily\":5},\"accounting\":\"exact\"}")
                .statusCode()).isEqualTo(201);
        assertThat(closed.post("/admin/teams", "{\"id\":\"unlimited\"}").statusCode()).isEqualTo(201);
        JsonObject limitedKey = key(closed, "frozen");
        JsonObject unlimitedKey = key(closed, "unlimited");
        awaitKnown(open, limitedKey.getString("id"));
        awaitKnown(open, unlimitedKey.getString("id"));
        String limited = limitedKey.getString("key");
        String unlimited = unlimitedKey.getString("key");
        assertThat(chat(closed, limited).statusCode()).isEqualTo(200);
        assertThat(chat(open, limited).statusCode()).isEqualTo(200);
        Eventually.await(Duration.ofSeconds(5), "both settled", () -> requests("frozen") == 2);

        redis.pause();
        int servedOpen = 0;
        try {
            // At once, before any heartbeat has missed: these reach the frozen Redis and run when it goes on.
            List<CompletableFuture<HttpResponse<String>>> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                first.add(TestGateway.http().sendAsync(VirtualKeysIT.chatRequest(closed, limited, "sim-cheap", false),
                        HttpResponse.BodyHandlers.ofString()));
            }
            first.add(TestGateway.http().sendAsync(VirtualKeysIT.chatRequest(open, limited, "sim-cheap", false),
                    HttpResponse.BodyHandlers.ofString()));
            for (int i = 0; i < 3; i++) {
                assertUnavailable(first.get(i).join());
            }
            assertThat(first.get(3).join().statusCode()).isEqualTo(200);
            servedOpen++;

            for (int i = 0; i < 4; i++) {
                assertUnavailable(prompt(() -> chat(closed, limited)));
                assertThat(prompt(() -> chat(open, limited)).statusCode()).as("served failing open").isEqualTo(200);
                servedOpen++;
            }
            // A Responses request to be stored needs the response store, frozen too. The first write to find it so
            // is served unkept (the store trusts its last answer); from then on it is known unreachable.
            Supplier<HttpResponse<String>> storedResponse = () -> closed.post("/v1/responses",
                    "{\"model\":\"sim-cheap\",\"input\":\"hello\"}", "authorization", "Bearer " + unlimited);
            assertThat(prompt(storedResponse).statusCode()).isIn(200, 503);
            HttpResponse<String> stored = prompt(storedResponse);
            assertThat(assertError(stored, 503, "server_error").getString("code")).isEqualTo("response_store_unavailable");
            assertThat(prompt(() -> open.post("/v1/responses", "{\"model\":\"sim-cheap\",\"input\":\"hello\"}",
                    "authorization", "Bearer " + unlimited)).statusCode()).as("served unstored failing open").isEqualTo(200);

            HttpResponse<String> ready = closed.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("state_store").contains("fail_closed");
            assertThat(open.get("/health/ready").body()).contains("state_store").contains("fail_open");
        } finally {
            redis.resume();
        }

        Eventually.await(Duration.ofSeconds(5), "the fail-closed replica serving again",
                () -> chat(closed, limited).statusCode() == 200);
        Eventually.await(Duration.ofSeconds(2), "readiness without the degraded store",
                () -> !closed.get("/health/ready").body().contains("degraded")
                        && !open.get("/health/ready").body().contains("degraded"));
        // 2 before, those served open, 1 when the closed replica came back: each once, none twice.
        long reconciled = 2 + servedOpen + 1;
        Eventually.await(Duration.ofSeconds(5), "the outage's requests reconciled", () -> requests("frozen") >= reconciled);
        assertThat(requests("frozen")).isEqualTo(reconciled);

        // The reserves Redis ran late, after the outage had timed them out, hold none of the team's two places.
        List<CompletableFuture<HttpResponse<String>>> pair = List.of(
                TestGateway.http().sendAsync(VirtualKeysIT.chatRequest(closed, limited, "sim-cheap", false),
                        HttpResponse.BodyHandlers.ofString()),
                TestGateway.http().sendAsync(VirtualKeysIT.chatRequest(open, limited, "sim-cheap", false),
                        HttpResponse.BodyHandlers.ofString()));
        for (CompletableFuture<HttpResponse<String>> call : pair) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        Eventually.await(Duration.ofSeconds(5), "the pair settled", () -> requests("frozen") == reconciled + 2);
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        JsonObject error = assertError(response, 503, "server_error");
        assertThat(error.getString("code")).isEqualTo("limits_unavailable");
    }

    /** The response, checked to have come well inside the request's two-second deadline. */
    private static HttpResponse<String> prompt(Supplier<HttpResponse<String>> call) {
        long start = System.nanoTime();
        HttpResponse<String> response = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered in time: " + response.body()).isLessThan(PROMPT);
        return response;
    }

    private static HttpResponse<String> chat(TestGateway to, String key) {
        return to.send(VirtualKeysIT.chatRequest(to, key, "sim-cheap", false));
    }

    private static JsonObject key(TestGateway on, String team) {
        HttpResponse<String> created = on.post("/admin/keys", "{\"team\":\"" + team + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body());
    }

    /** Waits until the replica lists the key; not by a request, which a replica that knows no key yet lets by. */
    private static void awaitKnown(TestGateway on, String id) {
        Eventually.await(Duration.ofSeconds(2), "key " + id + " known on the replica",
                () -> on.get("/admin/keys").body().contains("\"" + id + "\""));
    }

    private static long requests(String team) {
        HttpResponse<String> usage = closed.get("/admin/usage?team=" + team);
        assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
        return new JsonObject(usage.body()).getLong("requests");
    }
}
