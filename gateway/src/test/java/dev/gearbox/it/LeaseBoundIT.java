package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.config.LeaseConfig;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Ledger;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.SpendingModel;
import dev.gearbox.testing.TestGateway;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound with leases at the scale: four replicas with the default lease settings and 1,000 requests
 * sent at once against one team's budget, to a model that spends all a request lets it. Leases reserve each
 * request's estimate as the exact path does, so spend stays within the budget; what leases could cost is room
 * held in other replicas' leases near the end, so leases must leave at most the bound unspent, and serve within
 * 2% as many requests as the same burst sent to a team counted exactly, with some 40 times fewer calls to Redis.
 * The bound the architecture states for a lease lost without its replica knowing (one cushion,
 * {@code budget_share} of the room left, per replica) is 2% of the budget for four.
 */
@Timeout(180)
class LeaseBoundIT {

    private static final Logger LOG = LoggerFactory.getLogger("gearbox.test.bound");
    private static final String MODELS = """
            models:
              - {id: writer, provider: up, tier: cheap, price: {input: 1, output: 2}}
            """;
    private static final double BUDGET = 1.0;

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static WireMockServer upstream;
    private static final List<TestGateway> replicas = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start(dir);
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(64)
                .extensions(new SpendingModel()));
        upstream.start();
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withTransformers(SpendingModel.NAME)));
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("models.yaml"), MODELS);
        Files.writeString(rules.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n  - {name: default, then: {models: [writer]}}\n");
        String config = """
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  up: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                rules: {directory: "%s"}
                state:
                  # The exact burst queues 2,000 script calls on 16 connections per replica: on a loaded 2-core
                  # machine some wait more than the default second, and would be refused as Redis unreachable.
                  redis: {url: "%s", on_unavailable: fail_closed, timeout_ms: 10000}
                """.formatted(upstream.port(), rules, redis.url());
        for (int i = 0; i < 4; i++) {
            replicas.add(TestGateway.start(config, Map.of()));
        }
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(replicas.toArray(TestGateway[]::new));
        if (upstream != null) {
            upstream.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aThousandRequestsAtOnceOnFourReplicasNeverSpendPastTheBudgetAndServeAsManyAsExactCounting() {
        Burst exact = burst("burst-exact", "exact");
        Burst leased = burst("burst-leased", "leased");

        double bound = 4 * new LeaseConfig(null, null, null, null).budgetShare() * BUDGET;
        for (Burst b : List.of(exact, leased)) {
            LOG.info("1,000 requests at once on 4 replicas, {}: {} served, {} refused, spend ${} of ${} (overshoot ${}),"
                            + " {} script calls to Redis", b.team, b.served, 1000 - b.served, b.spend, BUDGET,
                    Math.max(0, b.spend - BUDGET), b.scriptCalls);
            assertThat(b.spend).as("spend of %s", b.team).isLessThanOrEqualTo(BUDGET);
        }
        LOG.info("stated bound with the default lease settings for leases lost unknown to their replicas: ${}", bound);
        assertThat(bound).as("the bound with the default lease settings").isLessThanOrEqualTo(0.02 * BUDGET);
        // Exact counting itself serves 480 to 489 of these from run to run and leaves some of the budget unspent
        // (which requests hold room when the last ones ask): leases may leave at most their cushions more.
        assertThat(leased.spend).as("what leases leave unspent beyond exact counting")
                .isGreaterThanOrEqualTo(exact.spend - bound);
        assertThat(leased.served).as("within 2 percent of exact counting").isGreaterThanOrEqualTo(Math.round(exact.served * 0.98));
        assertThat(leased.scriptCalls).isLessThan(exact.scriptCalls / 10);
    }

    /** Sends 1,000 requests at once, a quarter to each replica, for a new team counted as {@code accounting} says. */
    private static Burst burst(String team, String accounting) {
        TestGateway admin = replicas.get(0);
        assertThat(admin.post("/admin/teams", "{\"id\":\"" + team + "\",\"accounting\":\"" + accounting
                + "\",\"budget_usd\":{\"total\":" + BUDGET + "}}").statusCode()).isEqualTo(201);
        JsonObject key = new JsonObject(admin.post("/admin/keys", "{\"team\":\"" + team + "\"}").body());
        for (TestGateway replica : replicas) {
            Eventually.await(Duration.ofSeconds(5), "the key known on every replica",
                    () -> replica.get("/admin/keys").body().contains("\"" + key.getString("id") + "\""));
        }
        long calls = redis.calls("evalsha") + redis.calls("eval");

        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.add(TestGateway.http().sendAsync(request(replicas.get(i % 4), key.getString("key")),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();

        long served = answers.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 429));
        Eventually.await(Duration.ofSeconds(10), "every answer in the ledger", () -> Ledger.requests(admin, team, null) == served);
        return new Burst(team, served, Ledger.usage(admin, team, null).getDouble("spend_usd"),
                redis.calls("evalsha") + redis.calls("eval") - calls);
    }

    private record Burst(String team, long served, double spend, long scriptCalls) {
    }

    private static HttpRequest request(TestGateway to, String key) {
        String body = "{\"model\":\"auto\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"Write.\"}]}";
        return HttpRequest.newBuilder(URI.create(to.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
