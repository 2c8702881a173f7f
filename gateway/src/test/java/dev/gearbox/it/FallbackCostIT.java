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
 * A failing model hands its request to a dearer fallback only where the route opts in with
 * {@code fallback_max_cost_ratio}, only within that ratio and the request's and route's cost budgets, and the
 * escalation shows in a header and in meters.
 */
@Timeout(60)
class FallbackCostIT {

    /** Estimates, at max_tokens 100: primary about $0.0002, pricey three times that, lavish thirty times. */
    private static final String MODELS = """
            models:
              - {id: primary, provider: up, price: {input: 1, output: 2}}
              - {id: pricey, provider: up, price: {input: 3, output: 6}}
              - {id: lavish, provider: up, price: {input: 30, output: 60}}
            """;
    private static final String ROUTES = """
            aliases: [auto, plain, capped, budgeted]
            routes:
              - name: plain
                when: {model: plain}
                then: {models: [primary], fallbacks: [pricey]}
              - name: capped
                when: {model: capped}
                then: {models: [primary], fallbacks: [lavish, pricey], fallback_max_cost_ratio: 5}
              - name: budgeted
                when: {model: budgeted}
                then: {models: [primary], fallbacks: [pricey], fallback_max_cost_ratio: 5, max_cost_usd: 0.0004}
              - name: default
                then: {models: [primary]}
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
    void primaryIsDown() {
        upstream.resetAll();
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withTransformers(SpendingModel.NAME)));
        upstream.stubFor(post("/v1/chat/completions").withRequestBody(matchingJsonPath("$.model", equalTo("primary")))
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
    }

    @Test
    void aDearerFallbackIsNeverTriedUnlessTheRouteOptsIn() {
        HttpResponse<String> refused = chat("plain");
        JsonObject explained = new JsonObject(gateway.post("/admin/routes/explain", body("plain")).body());

        assertError(refused, 502, "server_error");
        assertThat(calls("pricey")).isZero();
        assertThat(explained.getJsonArray("fallbacks")).isEmpty();
        assertThat(candidate(explained, "pricey").getString("reason")).contains("3.00 times")
                .contains("needs the route's fallback_max_cost_ratio");
    }

    @Test
    void anOptedInRouteFallsBackWithinItsRatioAndShowsTheEscalationInAHeaderAndMeters() {
        HttpResponse<String> served = chat("capped");

        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("x-gearbox-model")).hasValue("pricey");
        assertThat(served.headers().firstValue("x-gearbox-fallbacks")).hasValue("primary=503,pricey=ok");
        assertThat(served.headers().firstValue("x-gearbox-fallback-cost-ratio")).hasValue("3.00");
        assertThat(calls("lavish")).as("thirty times the primary, over the ratio of 5").isZero();
        String metrics = gateway.get("/metrics").body();
        assertThat(metrics).contains("gearbox_fallback_escalations_total{model=\"pricey\",route=\"capped\"} 1.0")
                .contains("gearbox_fallback_escalation_cost_usd_total{model=\"pricey\",route=\"capped\"}");
    }

    @Test
    void aFallbackOverTheRequestsOrTheRoutesCostBudgetIsNeverTried() {
        HttpResponse<String> overHeader = gateway.post("/v1/chat/completions", body("capped"), "x-gearbox-max-cost-usd", "0.0004");
        HttpResponse<String> overRoute = chat("budgeted");

        assertError(overHeader, 502, "server_error");
        assertError(overRoute, 502, "server_error");
        assertThat(calls("pricey")).isZero();
        assertThat(overRoute.headers().firstValue("x-gearbox-fallback-cost-ratio")).isEmpty();
    }

    private static HttpResponse<String> chat(String model) {
        return gateway.post("/v1/chat/completions", body(model));
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static int calls(String model) {
        return upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))).size();
    }

    private static JsonObject candidate(JsonObject explained, String model) {
        return explained.getJsonArray("candidates").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("model").equals(model)).findFirst().orElseThrow();
    }
}
