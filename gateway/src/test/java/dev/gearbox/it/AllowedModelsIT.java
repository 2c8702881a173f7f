package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.testing.SpendingModel;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's (and its team's) allowed models hold for the model a request is routed to and every fallback,
 * not only for the name the client sent: a key limited to {@code [cheap, auto]} never reaches a reasoning
 * model through {@code auto}, and explain says the same as the real request.
 */
@Timeout(60)
class AllowedModelsIT {

    private static final String ROUTES = """
            aliases: [auto, cheap, reasoning, flaky]
            routes:
              - name: reasoning-effort
                when: {reasoning_effort: [low, medium, high]}
                then: {tier: reasoning}
              - name: flaky
                when: {model: flaky}
                then: {models: [flaky-mini], fallbacks: [thinker], fallback_max_cost_ratio: 100}
              - name: default
                then: {tier: cheap}
            """;
    private static final String MODELS = """
            models:
              - {id: mini, provider: up, tier: cheap, price: {input: 1, output: 2}}
              - {id: flaky-mini, provider: up, tier: cheap, price: {input: 1, output: 2.5}}
              - {id: thinker, provider: up, tier: reasoning, price: {input: 10, output: 40}, capabilities: [reasoning]}
            """;

    @TempDir
    static Path rules;
    private static WireMockServer upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new SpendingModel()));
        upstream.start();
        Files.writeString(rules.resolve("models.yaml"), MODELS);
        Files.writeString(rules.resolve("routes.yaml"), ROUTES);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  up: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                rules: {directory: "%s"}
                resilience: {defaults: {max_attempts: 1}}
                """.formatted(upstream.port(), rules));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void stubs() {
        upstream.resetAll();
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withTransformers(SpendingModel.NAME)));
        upstream.stubFor(post("/v1/chat/completions").withRequestBody(matchingJsonPath("$.model", equalTo("flaky-mini")))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
    }

    @Test
    void aKeyLimitedToCheapAndAutoIsNeverServedByAReasoningModelThroughAuto() {
        String key = key("cheap-only", "[\"cheap\", \"auto\"]");
        String body = "{\"model\":\"auto\",\"reasoning_effort\":\"high\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Prove that there are infinitely many primes\"}]}";

        HttpResponse<String> real = gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + key);
        HttpResponse<String> explained = gateway.post("/admin/routes/explain", body, "x-gearbox-api-key", "Bearer " + key);

        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(real.headers().firstValue("x-gearbox-route")).hasValue("reasoning-effort");
        assertThat(real.headers().firstValue("x-gearbox-model")).hasValue("mini");
        assertThat(real.headers().firstValue("x-gearbox-route-note")).hasValueSatisfying(note -> assertThat(note)
                .contains("may not use").contains("allows [cheap, auto]").contains("cheapest model it may use, mini"));
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("thinker"))))).isEmpty();

        JsonObject explanation = new JsonObject(explained.body());
        assertThat(explanation.getString("model")).isEqualTo("mini");
        assertThat(explanation.getString("note")).isEqualTo(real.headers().firstValue("x-gearbox-route-note").orElseThrow());
        assertThat(explanation.getJsonArray("candidates").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("model").equals("thinker")).findFirst().orElseThrow().getString("reason"))
                .startsWith("not allowed: key ");
    }

    @Test
    void aFallbackTheKeyMayNotUseIsNeverTried() {
        String limited = key("flaky-cheap", "[\"cheap\", \"flaky\"]");
        String open = key("flaky-any", null);
        String body = "{\"model\":\"flaky\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> refused = gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + limited);

        assertThat(assertError(refused, 502, "server_error").getString("code")).isEqualTo("upstream_error");
        assertThat(refused.headers().firstValue("x-gearbox-fallbacks")).hasValue("flaky-mini=503");
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("thinker"))))).isEmpty();
        // The same request from a key without a list falls back as the route says.
        HttpResponse<String> served = gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + open);
        assertThat(served.headers().firstValue("x-gearbox-model")).hasValue("thinker");
    }

    @Test
    void aKeyAllowingNoModelThatCanServeTheRequestIsRefused() {
        String key = key("typo", "[\"mnii\", \"auto\"]");

        HttpResponse<String> refused = gateway.post("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "authorization", "Bearer " + key);

        JsonObject error = assertError(refused, 403, "invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("model_not_allowed");
        assertThat(error.getString("message")).contains("allows [mnii, auto]");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    private static String key(String team, String models) {
        assertThat(gateway.post("/admin/teams", "{\"id\":\"" + team + "\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> created = gateway.post("/admin/keys", "{\"team\":\"" + team + "\""
                + (models == null ? "" : ",\"models\":" + models) + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("key");
    }
}
