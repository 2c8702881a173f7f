package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Ledger;
import dev.gearbox.testing.RedisSentinel;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import dev.gearbox.testing.Traffic;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on a Redis primary and its replica watched by three sentinels (real processes started by the
 * test): keys, limits and the ledger work through Sentinel; and when the primary is killed and the sentinels
 * promote the replica, no settled spend is lost: the ledger holds exactly what clients were served, request by
 * request, and while there is no primary a request the lease cannot hold is refused (failing closed) rather than
 * served uncounted. The failover runs last.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {

    @TempDir
    static Path dir;
    private static RedisSentinel sentinel;
    private static TestGateway one;
    private static TestGateway two;

    @BeforeAll
    static void start() {
        sentinel = RedisSentinel.start(dir);
        String config = TestGateway.simulatedConfig("") + sentinel.stateConfig("fail_closed");
        one = TestGateway.start(config);
        two = TestGateway.start(config);
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two);
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Test
    @Order(1)
    void twoReplicasHoldOneRequestsPerMinuteLimitAndOneLedgerThroughSentinel() {
        String key = teamKey("per-minute", "\"rpm\":10").getString("key");
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 15; i++) {
            TestGateway to = i % 2 == 0 ? one : two;
            int status = to.send(VirtualKeysIT.chatRequest(to, key, "sim-cheap", false)).statusCode();
            served += status == 200 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
        }

        assertThat(served).isEqualTo(10);
        assertThat(refused).isEqualTo(5);
        Eventually.await(Duration.ofSeconds(5), "the ledger read back",
                () -> Ledger.requests(two, "per-minute", null) == 10);
    }

    @Test
    @Order(2)
    void aPrimaryFailoverLosesNoSettledSpendAndRefusesWhatTheLeaseCannotHoldWhileItLasts() {
        JsonObject whole = teamKey("failover", "\"rpm\":100000,\"budget_usd\":{\"daily\":1000}");
        JsonObject stream = key("failover");
        Traffic traffic = Traffic.start(6, n -> (n % 2 == 0 ? one : two).baseUrl(), whole.getString("key"),
                stream.getString("key"));
        Eventually.await(Duration.ofSeconds(30), "traffic under way", () -> traffic.served() >= 60);

        RedisServer primary = sentinel.primary();
        primary.kill();
        sentinel.awaitFailover(primary);
        // A supervisor would restart it: the sentinels make it the new primary's replica, so writes are replicated again.
        primary.start();
        long atPromotion = traffic.served();
        Eventually.await(Duration.ofSeconds(60), "traffic served after the promotion", () -> traffic.served() >= atPromotion + 60);
        List<Traffic.Outcome> outcomes = traffic.stop();

        List<Traffic.Outcome> refused = new ArrayList<>();
        for (Traffic.Outcome o : outcomes) {
            assertThat(o.status()).as(o.body()).isIn(200, 503);
            if (o.status() == 503) {
                refused.add(o);
            }
        }
        assertThat(refused).allSatisfy(o -> assertThat(new JsonObject(o.body()).getJsonObject("error").getString("code"))
                .isEqualTo("limits_unavailable"));
        Ledger.assertHoldsWhatWasServedBarTheUnreplicated(one, "failover", whole.getString("id"), stream.getString("id"),
                outcomes, 6, one, two);
    }

    private static JsonObject teamKey(String team, String limits) {
        HttpResponse<String> created = one.post("/admin/teams", "{\"id\":\"" + team + "\"," + limits + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return key(team);
    }

    /** A new key of the team, known to both replicas. */
    private static JsonObject key(String team) {
        HttpResponse<String> created = one.post("/admin/keys", "{\"team\":\"" + team + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject key = new JsonObject(created.body());
        Eventually.await(Duration.ofSeconds(5), "the key known on the other replica",
                () -> two.get("/admin/keys").body().contains("\"" + key.getString("id") + "\""));
        return key;
    }
}
