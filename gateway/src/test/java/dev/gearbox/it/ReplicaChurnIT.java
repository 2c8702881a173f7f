package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.GatewayProcess;
import dev.gearbox.testing.Ledger;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import dev.gearbox.testing.Traffic;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas come and go while traffic flows against one team's budget: one joins, one stops (drained), one in a
 * JVM of its own is killed (SIGKILL: its lease is neither returned nor renewed), the routing rules change to a
 * dearer model and a key is revoked, all mid-run. No request is admitted past the budget, a revoked key is
 * refused everywhere within seconds, the crashed replica's lease returns to the pool once it expires (the
 * others go on to spend the budget to its last estimates), and the ledger holds every answer served, and besides
 * at most the ones the crash cut after they were counted (paid for upstream, never delivered): none is lost.
 */
@Timeout(240)
class ReplicaChurnIT {

    private static final String MODELS = """
            models:
              - {id: sim-cheap, provider: sim, tier: cheap, price: {input: 0.15, output: 0.60}, simulation: {first_token_ms: 5}}
              - {id: sim-dear, provider: sim, tier: cheap, price: {input: 0.30, output: 1.20}, simulation: {first_token_ms: 5}}
            """;
    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - {name: default, then: {models: [%s]}}
            """;
    /** About 2,000 answers at the first price, a thousand at the second. */
    private static final double BUDGET = 0.05;

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static Path rules;
    private static String config;
    private static final List<TestGateway> inProcess = new CopyOnWriteArrayList<>();
    private static GatewayProcess crashing;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")));
        rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("models.yaml"), MODELS);
        Files.writeString(rules.resolve("routes.yaml"), ROUTES.formatted("sim-cheap"));
        // %d is the port: 0 for a replica in this JVM, a free one for the replica in its own.
        config = """
                server: {host: 127.0.0.1, port: %%d, event_loops: 1}
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s", reload_interval_ms: 100}
                state:
                  redis: {url: "%s", on_unavailable: fail_closed}
                  leases: {ttl_ms: 2000, budget_share: 0.2}
                """.formatted(rules, redis.url());
    }

    @AfterAll
    static void stop() {
        inProcess.forEach(TestGateway::close);
        if (crashing != null) {
            crashing.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void replicasThatJoinStopAndCrashMidRunNeverAdmitPastTheBudgetAndLoseNoSpend() {
        TestGateway staying = replica();
        TestGateway stopping = replica();
        crashing = GatewayProcess.start(dir, "crashing", config);
        JsonObject team = new JsonObject(staying.post("/admin/teams", "{\"id\":\"churn\",\"max_concurrent\":100,"
                + "\"budget_usd\":{\"total\":" + BUDGET + "}}").body());
        assertThat(team.getString("id")).isEqualTo("churn");
        JsonObject whole = key(staying);
        JsonObject stream = key(staying);
        JsonObject revokedWhole = key(staying);
        JsonObject revokedStream = key(staying);
        List<String> rotation = new CopyOnWriteArrayList<>(List.of(staying.baseUrl(), stopping.baseUrl(), crashing.baseUrl()));
        for (JsonObject key : List.of(whole, stream, revokedWhole, revokedStream)) {
            awaitKnown(crashing.baseUrl(), key.getString("id"));
            awaitKnown(stopping.baseUrl(), key.getString("id"));
        }

        Traffic traffic = Traffic.start(6, n -> rotation.get(Math.floorMod(n, rotation.size())), "auto",
                whole.getString("key"), stream.getString("key"));
        Traffic revocable = Traffic.start(2, n -> rotation.get(Math.floorMod(n, rotation.size())), "auto",
                revokedWhole.getString("key"), revokedStream.getString("key"));
        Eventually.await(Duration.ofSeconds(30), "a first stretch served", () -> traffic.served() >= 150);

        TestGateway joining = replica();
        rotation.add(joining.baseUrl());
        reload("sim-dear");
        long revokedAt = System.nanoTime();
        assertThat(staying.send(delete(staying, "/admin/keys/" + revokedWhole.getString("id"))).statusCode()).isEqualTo(200);
        assertThat(staying.send(delete(staying, "/admin/keys/" + revokedStream.getString("id"))).statusCode()).isEqualTo(200);
        Eventually.await(Duration.ofSeconds(30), "a second stretch served", () -> traffic.served() >= 300);

        rotation.remove(crashing.baseUrl());
        crashing.kill();
        rotation.remove(stopping.baseUrl());
        stopping.close();
        inProcess.remove(stopping);
        // The crashed lease expires two seconds after its last call; the budget is then spent to its last estimates.
        Eventually.await(Duration.ofSeconds(90), "the budget spent to within a few estimates",
                () -> Ledger.usage(staying, "churn", null).getDouble("spend_usd") >= BUDGET - 0.0005);
        // Replicas poll the accounts every 250 ms; on a loaded 2-core machine running three of them in this JVM a
        // revocation has been seen to take 1.5 s to reach one, so the check allows three.
        long known = revokedAt + Duration.ofSeconds(3).toNanos();
        Eventually.await(Duration.ofSeconds(15), "the revoked keys tried once every replica knows",
                () -> revocable.sentAfter(known));
        // Spent to within a few estimates is not yet refused: the last requests that fit may still be going.
        Eventually.await(Duration.ofSeconds(30), "a request refused for the budget", () -> traffic.answeredWith(429));
        List<Traffic.Outcome> outcomes = traffic.stop();
        List<Traffic.Outcome> revoked = revocable.stop();

        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.body()).isIn(200, 429, -1));
        assertThat(outcomes).filteredOn(o -> o.status() == 429).isNotEmpty().allSatisfy(o ->
                assertThat(new JsonObject(o.body()).getJsonObject("error").getString("code")).isEqualTo("insufficient_quota"));
        assertThat(revoked).as("a revoked key is refused everywhere within three seconds")
                .filteredOn(o -> o.sentNanos() > known).isNotEmpty()
                .allSatisfy(o -> assertThat(o.status()).as(o.body()).isIn(401, -1));
        Ledger.assertHoldsWhatWasServedAndAtMostWhatWasCut(staying, "churn", whole.getString("id"), stream.getString("id"),
                outcomes);
        Ledger.assertHoldsWhatWasServedAndAtMostWhatWasCut(staying, "churn", revokedWhole.getString("id"),
                revokedStream.getString("id"), revoked);
        double spend = Ledger.usage(staying, "churn", null).getDouble("spend_usd");
        assertThat(spend).as("spend of the team, every key").isLessThanOrEqualTo(BUDGET);
        assertThat(models(staying)).as("answered by the first route, then the reloaded one").contains("sim-cheap", "sim-dear");
    }

    private static TestGateway replica() {
        TestGateway gateway = TestGateway.start(config.formatted(0));
        inProcess.add(gateway);
        return gateway;
    }

    private static JsonObject key(TestGateway on) {
        HttpResponse<String> created = on.post("/admin/keys", "{\"team\":\"churn\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body());
    }

    private static void awaitKnown(String baseUrl, String id) {
        Eventually.await(Duration.ofSeconds(10), "key " + id + " known on " + baseUrl, () -> {
            try {
                return TestGateway.http().send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/keys")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"" + id + "\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static void reload(String model) {
        try {
            Path tmp = Files.writeString(rules.resolve("routes.yaml.tmp"), ROUTES.formatted(model));
            Files.move(tmp, rules.resolve("routes.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpRequest delete(TestGateway on, String path) {
        return HttpRequest.newBuilder(URI.create(on.baseUrl() + path)).timeout(Duration.ofSeconds(10)).DELETE().build();
    }

    private static List<String> models(TestGateway on) {
        JsonObject usage = new JsonObject(on.get("/admin/usage?team=churn&group_by=model").body());
        List<String> models = new ArrayList<>();
        usage.getJsonArray("groups").forEach(r -> models.add(((JsonObject) r).getString("model")));
        return models;
    }
}
