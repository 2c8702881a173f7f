package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Ledger;
import dev.gearbox.testing.RedisCluster;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import dev.gearbox.testing.Traffic;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on a real Redis Cluster (three primaries, each with a replica, started by the test): keys,
 * limits and the ledger work as on one server; every key of a team, and every account key, is in one slot; and
 * when the primary of a team's slot is killed and its replica promoted, no settled spend is lost: the ledger
 * holds exactly what clients were served, request by request, and while the slot has no primary a request
 * the lease cannot hold is refused (failing closed) rather than served uncounted. The failover runs last.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final Pattern TAG = Pattern.compile("\\{([^}]*)}");

    @TempDir
    static Path dir;
    private static RedisCluster cluster;
    private static TestGateway one;
    private static TestGateway two;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(dir);
        String config = TestGateway.simulatedConfig("") + cluster.stateConfig("fail_closed");
        one = TestGateway.start(config);
        two = TestGateway.start(config);
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void twoReplicasHoldOneRequestsPerMinuteLimitAndOneLedgerOnACluster() {
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
        Eventually.await(Duration.ofSeconds(5), "the ledger read back from the team's slot",
                () -> Ledger.requests(two, "per-minute", null) == 10);
    }

    @Test
    @Order(2)
    void everyKeyOfATeamAndEveryAccountKeySharesOneSlot() {
        Map<String, Set<Integer>> slotsByTag = new HashMap<>();
        for (RedisServer node : cluster.nodes()) {
            if (!node.cli("INFO", "replication").contains("role:master")) {
                continue;
            }
            for (String key : node.cli("--scan", "--pattern", "gearbox:*").split("\n")) {
                if (key.isBlank()) {
                    continue;
                }
                Matcher tag = TAG.matcher(key);
                assertThat(tag.find()).as("%s has a hash tag", key).isTrue();
                slotsByTag.computeIfAbsent(tag.group(1), t -> new HashSet<>()).add(cluster.slot(key.trim()));
            }
        }

        assertThat(slotsByTag).containsKeys("accounts", "per-minute");
        assertThat(slotsByTag).allSatisfy((tag, slots) -> assertThat(slots).as("slots of {%s}", tag).hasSize(1));
    }

    @Test
    @Order(3)
    void aPrimaryFailoverLosesNoSettledSpendAndRefusesWhatTheLeaseCannotHoldWhileItLasts() {
        JsonObject whole = teamKey("failover", "\"rpm\":100000,\"budget_usd\":{\"daily\":1000}");
        JsonObject stream = key("failover");
        Traffic traffic = Traffic.start(6, n -> (n % 2 == 0 ? one : two).baseUrl(), whole.getString("key"),
                stream.getString("key"));
        Eventually.await(Duration.ofSeconds(30), "traffic under way", () -> traffic.served() >= 60);

        int slot = cluster.slot("gearbox:{failover}:team:holds");
        RedisServer primary = cluster.primaryOf(slot);
        primary.kill();
        cluster.awaitPromotion(slot, primary);
        // A supervisor would restart it: it comes back as the new primary's replica, so writes are replicated again.
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
