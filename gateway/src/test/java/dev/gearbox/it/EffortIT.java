package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's reasoning effort, by the request's difficulty score, as each provider type takes it: OpenAI's
 * {@code reasoning_effort}, Anthropic's thinking budget, DeepSeek's reasoner only at the effort it allows;
 * never on a model that does not reason, never above a client's own, and priced in explain's estimate.
 */
@Timeout(60)
class EffortIT {

    private static final String ADMIN = "Bearer admin-secret";
    private static final String PROOF = "Prove that every connected graph with n vertices and n edges contains exactly one cycle.";
    private static final String GREETING = "hi! how are you today?";
    private static WireMockServer upstream;
    private static TestGateway gateway;

    @TempDir
    static Path rules;

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: o3-mini, provider: openai, tier: reasoning, price: {input: 1.10, output: 4.40},
                     capabilities: [tools, json_mode, reasoning], expected_output_tokens: 500, expected_reasoning_tokens: 2000}
                  - {id: gpt-4o-mini, provider: openai, tier: cheap, price: {input: 0.15, output: 0.60}}
                  - {id: claude-sonnet-4, provider: anthropic, upstream: claude-sonnet-4-20250514,
                     price: {input: 3.00, output: 15.00}, capabilities: [tools, reasoning], max_output_tokens: 64000}
                  - {id: deepseek-reasoner, provider: deepseek, price: {input: 0.55, output: 2.19}, capabilities: [reasoning]}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto, claude, deepseek, mini]
                routes:
                  - name: claude
                    when: {model: claude}
                    then: {models: [claude-sonnet-4], effort: medium}
                  - name: deepseek
                    when: {model: deepseek}
                    then: {models: [deepseek-reasoner], effort: {0.5: high, 0: low}}
                  - name: mini
                    when: {model: mini}
                    then: {models: [gpt-4o-mini], effort: high}
                  - name: default
                    then: {models: [o3-mini], effort: {0.9: high, 0.5: medium, 0: low}}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1, admin_token: "${ADMIN_TOKEN}"}
                providers:
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                  anthropic: {type: anthropic, base_url: "http://127.0.0.1:%1$d/anthropic/v1", api_key: "${ANTHROPIC_KEY}"}
                  deepseek: {type: openai, base_url: "http://127.0.0.1:%1$d/deepseek/v1"}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), rules), Map.of("ADMIN_TOKEN", "admin-secret", "ANTHROPIC_KEY", "sk-ant-test"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));
        upstream.stubFor(post("/deepseek/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(okJson(Fixtures.text("anthropic/messages-text.json"))));
    }

    @Test
    void sendsOpenAiTheEffortOfTheBandTheScoreFallsIn() {
        chat(new JsonObject().put("model", "auto"), PROOF);
        chat(new JsonObject().put("model", "auto"), GREETING);

        List<JsonObject> sent = sent("/openai/v1/chat/completions");
        assertThat(sent).extracting(b -> b.getString("reasoning_effort")).containsExactly("high", "low");
    }

    @Test
    void neverRaisesTheClientsOwnEffortAndLowersOneAboveTheRoutes() {
        chat(new JsonObject().put("model", "auto").put("reasoning_effort", "minimal"), PROOF);
        chat(new JsonObject().put("model", "auto").put("reasoning_effort", "high"), GREETING);

        assertThat(sent("/openai/v1/chat/completions")).extracting(b -> b.getString("reasoning_effort"))
                .containsExactly("minimal", "low");
    }

    @Test
    void sendsAnthropicTheEffortAsAThinkingBudgetWhereThinkingIsAllowed() {
        chat(new JsonObject().put("model", "claude"), PROOF);
        chat(new JsonObject().put("model", "claude").put("temperature", 0.2), PROOF);

        List<JsonObject> sent = sent("/anthropic/v1/messages");
        assertThat(sent.get(0).getJsonObject("thinking")).isEqualTo(new JsonObject().put("type", "enabled").put("budget_tokens", 4096));
        assertThat(sent.get(0).containsKey("reasoning_effort")).isFalse();
        assertThat(sent.get(1).containsKey("thinking")).as("thinking refuses a changed temperature: sent without").isFalse();
    }

    @Test
    void sendsDeepSeeksReasonerOnlyTheEffortItTakes() {
        chat(new JsonObject().put("model", "deepseek"), PROOF);
        chat(new JsonObject().put("model", "deepseek"), GREETING);

        List<JsonObject> sent = sent("/deepseek/v1/chat/completions");
        assertThat(sent.get(0).getString("reasoning_effort")).isEqualTo("high");
        assertThat(sent.get(1).containsKey("reasoning_effort")).isFalse();
    }

    @Test
    void asksNoEffortOfAModelThatDoesNotReason() {
        chat(new JsonObject().put("model", "mini"), PROOF);

        assertThat(sent("/openai/v1/chat/completions").get(0).containsKey("reasoning_effort")).isFalse();
    }

    @Test
    void explainShowsTheEffortAndPricesItInTheEstimate() {
        JsonObject hard = explain(new JsonObject().put("model", "auto"), PROOF);
        JsonObject easy = explain(new JsonObject().put("model", "auto"), GREETING);
        JsonObject clients = explain(new JsonObject().put("model", "auto").put("reasoning_effort", "minimal"), PROOF);

        assertThat(hard.getString("effort")).isEqualTo("high");
        assertThat(hard.getString("effort_from")).isEqualTo("route");
        assertThat(easy.getString("effort")).isEqualTo("low");
        assertThat(clients.getString("effort")).isEqualTo("minimal");
        assertThat(clients.getString("effort_from")).isEqualTo("client");
        // 500 answer tokens and 2,000 reasoning tokens at medium: high thinks twice as long, low half.
        double perToken = 4.40 / 1e6;
        assertThat(hard.getDouble("estimated_cost_usd") - easy.getDouble("estimated_cost_usd"))
                .isCloseTo((4000 - 1000) * perToken, org.assertj.core.api.Assertions.within(2e-3));
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    private static void chat(JsonObject body, String prompt) {
        HttpResponse<String> answer = gateway.post("/v1/chat/completions", body.copy()
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static JsonObject explain(JsonObject body, String prompt) {
        HttpResponse<String> answer = gateway.post("/admin/routes/explain", body.copy()
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode(),
                "authorization", ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new JsonObject(answer.body());
    }

    /** The bodies the upstream received at a path, oldest first. */
    private static List<JsonObject> sent(String path) {
        upstream.verify(postRequestedFor(urlEqualTo(path)));
        return upstream.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .map(r -> new JsonObject(r.getBodyAsString())).toList();
    }
}
