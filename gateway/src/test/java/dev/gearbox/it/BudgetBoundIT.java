package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.SpendingModel;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound in docs/security.md, proved under load: two replicas sharing one real Redis, and a model that spends all
 * a request lets it ({@link SpendingModel}: a prompt token per byte it is sent, a tool-use system prompt,
 * 9,000 output tokens when not limited), never take a team past its budget or its tokens per minute,
 * however the request grows upstream: a continued conversation, no max_tokens, tools, retries and a dearer
 * fallback. Each test sends its requests all at once and checks the ledger once every answer settled.
 */
@Timeout(120)
class BudgetBoundIT {

    private static final String MODELS = """
            models:
              - {id: writer, provider: up, tier: cheap, price: {input: 1, output: 2}, capabilities: [tools, json_mode]}
              - {id: primary, provider: up, price: {input: 1, output: 2}}
              - {id: backup, provider: up, price: {input: 3, output: 6}}
            """;
    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - name: resilient
                when: {model: primary}
                then: {models: [primary], fallbacks: [backup], fallback_max_cost_ratio: 4}
              - name: default
                then: {models: [writer]}
            """;
    /** Stopped mid-minute, so a minute's limit cannot reset mid-test, and a day ahead, so Redis's own TTLs outlive it. */
    private static final MutableClock CLOCK = new MutableClock(
            Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(1)).plusSeconds(30));

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static WireMockServer upstream;
    private static TestGateway one;
    private static TestGateway two;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start(dir);
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new SpendingModel()));
        upstream.start();
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withTransformers(SpendingModel.NAME)));
        upstream.stubFor(post("/v1/chat/completions").withRequestBody(matchingJsonPath("$.model", equalTo("primary")))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("models.yaml"), MODELS);
        Files.writeString(rules.resolve("routes.yaml"), ROUTES);
        String config = """
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  up: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                rules: {directory: "%s"}
                resilience: {defaults: {max_attempts: 2, backoff_initial_ms: 1, backoff_max_ms: 2}}
                """.formatted(upstream.port(), rules) + redis.stateConfig("fail_closed");
        one = TestGateway.start(config, Map.of(), CLOCK);
        two = TestGateway.start(config, Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two);
        if (upstream != null) {
            upstream.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void continuationsOfALongConversationNeverSpendPastTheBudget() {
        double budget = 1.0;
        String key = teamKey("conversation", "\"budget_usd\":{\"total\":" + budget + "}");
        // About 100,000 prompt tokens at $1 per million: some $0.10 a turn, sent again with every continuation.
        String document = "a long document, read again with every turn of the conversation. ".repeat(1_600);
        HttpResponse<String> first = one.send(request(one, "/v1/responses", key, new JsonObject().put("model", "writer")
                .put("input", document).put("max_output_tokens", 10)));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String id = new JsonObject(first.body()).getString("id");

        Outcome outcome = concurrently(20, i -> request(i % 2 == 0 ? one : two, "/v1/responses", key, new JsonObject()
                .put("model", "writer").put("previous_response_id", id).put("input", "And then?")
                .put("max_output_tokens", 10).put("store", false)));

        assertWithinBudget("conversation", budget, outcome.served() + 1);
        assertThat(outcome.refused()).as("20 continuations would cost about $2").isPositive();
    }

    @Test
    void requestsWithoutMaxTokensNeverSpendPastTheBudget() {
        double budget = 0.05;
        String key = teamKey("no-limit", "\"budget_usd\":{\"total\":" + budget + "}");

        Outcome outcome = concurrently(12, i -> request(i % 2 == 0 ? one : two, "/v1/chat/completions", key,
                chat("writer", "Write as much as you like.")));

        assertWithinBudget("no-limit", budget, outcome.served());
        assertThat(outcome.refused()).as("12 answers of 9,000 tokens would cost about $0.22").isPositive();
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Write as much as you like.")))))
                .isNotEmpty().allSatisfy(sent -> assertThat(new JsonObject(sent.getBodyAsString()).getInteger("max_tokens"))
                        .as("the output limit reserved is the one sent").isEqualTo(4096));
    }

    @Test
    void requestsWithToolsNeverSpendPastTheBudget() {
        double budget = 0.01;
        String key = teamKey("tools", "\"budget_usd\":{\"total\":" + budget + "}");
        JsonArray tools = new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
                .put("name", "lookup").put("parameters", new JsonObject().put("type", "object"))));

        Outcome outcome = concurrently(30, i -> request(i % 2 == 0 ? one : two, "/v1/chat/completions", key,
                chat("writer", "Look it up.").put("max_tokens", 10).put("tools", tools)));

        assertWithinBudget("tools", budget, outcome.served());
        assertThat(outcome.refused()).isPositive();
    }

    @Test
    void retriesAndADearerFallbackNeverSpendPastTheBudget() {
        double budget = 0.01;
        String key = teamKey("fallback", "\"budget_usd\":{\"total\":" + budget + "}");

        Outcome outcome = concurrently(20, i -> request(i % 2 == 0 ? one : two, "/v1/chat/completions", key,
                chat("primary", "Answer from wherever you can.").put("max_tokens", 100)));

        assertWithinBudget("fallback", budget, outcome.served());
        assertThat(outcome.refused()).isPositive();
        // Retried as the retry budget allows (a burst spends it), or passed over once enough 503s opened its
        // breaker (how many arrive first depends on the machine's speed), then answered by the dearer fallback.
        assertThat(outcome.responses()).filteredOn(r -> r.statusCode() == 200).allSatisfy(r -> assertThat(
                r.headers().firstValue("x-gearbox-fallbacks").orElseThrow()).matches("primary=(503(,primary=503)?|open),backup=ok"));
    }

    @Test
    void aBurstNeverUsesMoreTokensInAMinuteThanTheTokensPerMinuteLimit() {
        String key = teamKey("per-minute", "\"tpm\":2000");

        Outcome outcome = concurrently(40, i -> request(i % 2 == 0 ? one : two, "/v1/chat/completions", key,
                chat("writer", "Say a little.").put("max_tokens", 50)));

        Eventually.await(Duration.ofSeconds(10), "every answer settled", () -> usage("per-minute").getLong("requests") == outcome.served());
        assertThat(usage("per-minute").getJsonObject("tokens").getLong("total")).as("tokens used in the minute")
                .isPositive().isLessThanOrEqualTo(2000);
        assertThat(outcome.refused()).as("40 requests of about 90 tokens each").isPositive();
    }

    private record Outcome(List<HttpResponse<String>> responses) {

        long served() {
            return responses.stream().filter(r -> r.statusCode() == 200).count();
        }

        long refused() {
            return responses.stream().filter(r -> r.statusCode() == 429).count();
        }
    }

    private static Outcome concurrently(int n, IntFunction<HttpRequest> request) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            calls.add(TestGateway.http().sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 429));
        return new Outcome(responses);
    }

    private static void assertWithinBudget(String team, double budget, long served) {
        Eventually.await(Duration.ofSeconds(10), "every answer settled", () -> usage(team).getLong("requests") == served);
        assertThat(usage(team).getDouble("spend_usd")).as("spend of team %s", team).isPositive().isLessThanOrEqualTo(budget);
    }

    private static JsonObject chat(String model, String text) {
        return new JsonObject().put("model", model)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
    }

    private static HttpRequest request(TestGateway to, String path, String key, JsonObject body) {
        return HttpRequest.newBuilder(URI.create(to.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    }

    /** A team with these limits and a key of it, known to both replicas. */
    private static String teamKey(String team, String limits) {
        assertThat(one.post("/admin/teams", "{\"id\":\"" + team + "\"," + limits + "}").statusCode()).isEqualTo(201);
        HttpResponse<String> created = one.post("/admin/keys", "{\"team\":\"" + team + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject key = new JsonObject(created.body());
        Eventually.await(Duration.ofSeconds(2), "the key known on the other replica",
                () -> two.get("/admin/keys").body().contains("\"" + key.getString("id") + "\""));
        return key.getString("key");
    }

    private static JsonObject usage(String team) {
        HttpResponse<String> response = one.get("/admin/usage?team=" + team);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
