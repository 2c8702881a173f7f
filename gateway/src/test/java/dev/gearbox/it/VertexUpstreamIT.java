package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemini and Claude on Vertex AI behind the gateway: WireMock plays both the service account's token endpoint
 * (its {@code token_uri}) and Vertex AI; the OpenAI and Anthropic SDKs are the clients.
 */
@Timeout(60)
class VertexUpstreamIT {

    private static final String MODELS = "/vertex/v1/projects/my-project/locations/us-east5/publishers/";
    private static final String GEMINI = MODELS + "google/models/gemini-2.5-flash:generateContent";
    private static final String GEMINI_STREAM = MODELS + "google/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String CLAUDE = MODELS + "anthropic/models/claude-sonnet-4%4020250514:rawPredict";
    private static final String CLAUDE_STREAM = MODELS + "anthropic/models/claude-sonnet-4%4020250514:streamRawPredict";
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException, NoSuchAlgorithmException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        tokens();
        Path credentials = dir.resolve("sa.json");
        Files.writeString(credentials, serviceAccount("http://127.0.0.1:" + upstream.port() + "/token"));
        Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - id: gemini-2.5-flash
                    provider: vertex
                    price: {input: 0.30, cached_input: 0.075, output: 2.50}
                  - id: claude-sonnet-4
                    provider: vertex
                    upstream: claude-sonnet-4@20250514
                    price: {input: 3.00, cached_input: 0.30, cache_write: 3.75, output: 15.00}
                    max_output_tokens: 64000
                    capabilities: [tools, vision, reasoning]
                  - {id: gpt-4o-mini, provider: openai, price: {input: 0.15, output: 0.60}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: claude-thinks-little
                    when: {model: claude-sonnet-4}
                    then: {models: [claude-sonnet-4], effort: low}
                  - name: gemini-falls-back
                    when: {model: gemini-2.5-flash}
                    then: {models: [gemini-2.5-flash], fallbacks: [gpt-4o-mini]}
                  - name: default
                    then: {models: [gemini-2.5-flash]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  vertex:
                    type: vertex
                    project: my-project
                    location: us-east5
                    credentials_file: "%2$s"
                    base_url: "http://127.0.0.1:%1$d/vertex/v1"
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                rules: {directory: "%3$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), credentials, rules), Map.of(), CLOCK);
        client = gateway.sdk();
    }

    /** The token endpoint: a first token, then a second one once asked again. */
    private static void tokens() {
        upstream.stubFor(post("/token").inScenario("tokens").whenScenarioStateIs(STARTED).willSetStateTo("second")
                .withRequestBody(containing("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"))
                .willReturn(json(200, "{\"access_token\":\"ya29.first-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        upstream.stubFor(post("/token").inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(json(200, "{\"access_token\":\"ya29.second-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
    }

    /** A service-account key file as Google issues one, with a key made for this test and the fake token endpoint. */
    private static String serviceAccount(String tokenUri) throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String key = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return new JsonObject().put("type", "service_account").put("project_id", "my-project")
                .put("private_key_id", "0123456789abcdef").put("private_key", key)
                .put("client_email", "gearbox@my-project.iam.gserviceaccount.com").put("client_id", "1234567890")
                .put("token_uri", tokenUri).encode();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetRequests();
    }

    @Test
    void geminiOnVertexAnswersWithTheServiceAccountsTokenAndAnExpiredTokenIsRefreshedWithoutAFailedRequest() {
        upstream.stubFor(post(GEMINI).willReturn(json(200, Fixtures.text("gemini/text.json"))));

        ChatCompletion first = client.chat().completions().create(params("gemini-2.5-flash", "Explain AI briefly"));
        String before = authorization();
        upstream.resetRequests();
        CLOCK.advance(Duration.ofHours(2));
        ChatCompletion second = client.chat().completions().create(params("gemini-2.5-flash", "Explain AI briefly"));

        assertThat(first.choices().get(0).message().content()).hasValue("AI learns patterns from data to make predictions.");
        assertThat(second.choices().get(0).message().content()).hasValue("AI learns patterns from data to make predictions.");
        assertThat(before).startsWith("Bearer ya29.");
        assertThat(authorization()).startsWith("Bearer ya29.").isNotEqualTo(before);
        upstream.verify(1, postRequestedFor(urlEqualTo("/token")));
        upstream.verify(1, postRequestedFor(urlEqualTo(GEMINI)));
    }

    /** The Authorization header of the last call to Gemini on Vertex. */
    private static String authorization() {
        var calls = upstream.findAll(postRequestedFor(urlEqualTo(GEMINI)));
        return calls.get(calls.size() - 1).getHeader("authorization");
    }

    @Test
    void geminiOnVertexStreamsTheSameAnswer() {
        upstream.stubFor(post(GEMINI_STREAM).willReturn(sse(Fixtures.text("gemini/text-stream.sse"))));
        StringBuilder streamed = new StringBuilder();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params("gemini-2.5-flash", "Explain AI briefly"))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }

        assertThat(streamed.toString()).isEqualTo("AI learns patterns from data to make predictions.");
        upstream.verify(postRequestedFor(urlEqualTo(GEMINI_STREAM)).withHeader("authorization", matching("Bearer ya29\\..*")));
    }

    @Test
    void claudeOnVertexAnswersThroughRawPredictWithTheRoutesEffortAsAThinkingBudgetAndIsPriced() {
        upstream.stubFor(post(CLAUDE).willReturn(json(200, Fixtures.text("anthropic/messages-thinking.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"27 * 453?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("reasoning_content")).isNotBlank();
        double expected = (2048 * 3.00 + 4000 * 0.30 + 1500 * 3.75 + 120 * 15.00) / 1e6;
        assertThat(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow()))
                .isCloseTo(expected, within(1e-9));
        upstream.verify(postRequestedFor(urlEqualTo(CLAUDE))
                .withRequestBody(matchingJsonPath("$.anthropic_version", equalTo("vertex-2023-10-16")))
                .withRequestBody(matchingJsonPath("$.thinking.budget_tokens", equalTo("1024")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("\"model\"")));
    }

    @Test
    void claudeOnVertexStreamsAndAMidStreamErrorEndsWithAnErrorEventAndNoDone() {
        upstream.stubFor(post(CLAUDE_STREAM).willReturn(sse(Fixtures.text("anthropic/messages-error-stream.sse"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"error\"").doesNotContain("[DONE]").doesNotContain("ya29.");
    }

    @Test
    void anErrorBeforeTheFirstByteFallsBack() {
        upstream.stubFor(post(GEMINI).willReturn(json(503, "{\"error\":{\"code\":503,\"message\":\"Service unavailable\","
                + "\"status\":\"UNAVAILABLE\"}}")));
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        upstream.stubFor(post(GEMINI).willReturn(json(200, Fixtures.text("gemini/text.json"))));
    }

    @Test
    void theAnthropicSdkReachesClaudeOnVertexAsWritten() {
        upstream.stubFor(post(CLAUDE).willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("unused").maxRetries(0).build();

        Message message = anthropic.messages().create(MessageCreateParams.builder().model("claude-sonnet-4").maxTokens(100)
                .addUserMessage("Hello").build());

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo(CLAUDE))
                .withRequestBody(matchingJsonPath("$.anthropic_version", equalTo("vertex-2023-10-16")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("100"))));
        anthropic.close();
    }

    private static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream").withBody(body)
                .withChunkedDribbleDelay(5, 60);
    }
}
