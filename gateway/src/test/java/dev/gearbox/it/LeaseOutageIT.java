package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Ledger;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leased team through a Redis outage, failing closed: what the replica's lease holds was reserved in Redis
 * before the outage, so requests it covers are served, and their settles, kept, reach Redis once it is back;
 * a request the lease cannot hold would need Redis, and is refused.
 */
@Timeout(120)
class LeaseOutageIT {

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(dir);
        gateway = TestGateway.start(TestGateway.simulatedConfig("") + redis.stateConfig("fail_closed"));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(gateway);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void requestsTheLeaseHoldsAreServedThroughAnOutageAndCountedWhenRedisIsBack() {
        // Half a percent of $5: about 300 requests of 100 output tokens at sim-cheap's prices.
        assertThat(gateway.post("/admin/teams", "{\"id\":\"outage\",\"budget_usd\":{\"daily\":5}}").statusCode()).isEqualTo(201);
        JsonObject key = new JsonObject(gateway.post("/admin/keys", "{\"team\":\"outage\"}").body());
        String secret = key.getString("key");
        assertThat(gateway.send(chat(secret, 100)).statusCode()).isEqualTo(200);

        redis.stop();
        try {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> served = gateway.send(chat(secret, 100));
                assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            }
            // 100,000 output tokens at $0.60 a million: $0.06, more than the lease holds.
            JsonObject refused = assertError(gateway.send(chat(secret, 100_000)), 503, "server_error");
            assertThat(refused.getString("code")).isEqualTo("limits_unavailable");
            assertThat(gateway.get("/health/ready").body()).contains("state_store").contains("fail_closed");
        } finally {
            redis.start();
        }

        Eventually.await(Duration.ofSeconds(10), "the outage's settles counted once Redis is back",
                () -> Ledger.requests(gateway, "outage", null) == 21);
        assertThat(gateway.send(chat(secret, 100_000)).statusCode()).as("the top-up Redis can give again").isEqualTo(200);
    }

    private static HttpRequest chat(String key, int maxTokens) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-cheap\",\"max_tokens\":" + maxTokens
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")).build();
    }
}
