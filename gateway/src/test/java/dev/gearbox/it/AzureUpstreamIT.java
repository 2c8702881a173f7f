package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure OpenAI behind the gateway: WireMock plays two resources, one reached with {@code api-key} at its
 * deployments ({@code api-version} in the query), one with an Entra ID token (its token endpoint faked too) in
 * the v1 path style; the OpenAI and Anthropic SDKs are the clients.
 */
@Timeout(60)
class AzureUpstreamIT {

    private static final String AZURE_KEY = "0123456789abcdef0123456789abcdef";
    private static final String DEPLOYMENT = "/keyed/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21";
    private static final String REASONING = "/keyed/openai/deployments/my-o3-mini/chat/completions?api-version=2024-10-21";
    private static final String V1 = "/entra/openai/v1/chat/completions";
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @TempDir
    static Path rules;

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - id: gpt-4o-mini
                    provider: keyed
                    price: {input: 0.15, cached_input: 0.075, output: 0.60}
                    capabilities: [tools, json_mode, vision]
                  - id: o3-mini
                    provider: keyed
                    upstream: my-o3-mini
                    price: {input: 1.10, cached_input: 0.55, output: 4.40}
                    capabilities: [tools, json_mode, reasoning]
                  - id: gpt-4.1
                    provider: entra
                    price: {input: 2.00, cached_input: 0.50, output: 8.00}
                  - {id: backup, provider: openai, price: {input: 0.15, output: 0.60}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: reasoning-low
                    when: {model: o3-mini}
                    then: {models: [o3-mini], effort: low}
                  - name: mini-falls-back
                    when: {model: gpt-4o-mini}
                    then: {models: [gpt-4o-mini], fallbacks: [backup]}
                  - name: default
                    then: {models: [gpt-4.1]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  keyed: {type: azure, base_url: "http://127.0.0.1:%1$d/keyed", api_key: "${AZURE_OPENAI_API_KEY}", api_version: "2024-10-21"}
                  entra:
                    type: azure
                    base_url: "http://127.0.0.1:%1$d/entra"
                    tenant_id: tenant-1
                    client_id: gearbox-app
                    client_secret: "${AZURE_CLIENT_SECRET}"
                    token_url: "http://127.0.0.1:%1$d/tenant-1/oauth2/v2.0/token"
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), rules), Map.of("AZURE_OPENAI_API_KEY", AZURE_KEY,
                "AZURE_CLIENT_SECRET", "entra-secret-value-0123456789"), CLOCK);
        client = gateway.sdk();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        entraTokens();
    }

    /** Entra ID's token endpoint: a first token, then a second one once asked again. */
    private static void entraTokens() {
        upstream.stubFor(post("/tenant-1/oauth2/v2.0/token").inScenario("entra").whenScenarioStateIs(STARTED).willSetStateTo("second")
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default"))
                .willReturn(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.first\"}")));
        upstream.stubFor(post("/tenant-1/oauth2/v2.0/token").inScenario("entra").whenScenarioStateIs("second")
                .willReturn(json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.second\"}")));
    }

    @Test
    void answersFromTheDeploymentInThePathWithTheApiKeyAndApiVersion() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));

        ChatCompletion completion = client.chat().completions().create(params("gpt-4o-mini", "What is Azure OpenAI?"));

        assertThat(completion.choices().get(0).message().content()).hasValue("Azure OpenAI is a managed service that serves OpenAI's models.");
        upstream.verify(postRequestedFor(urlEqualTo(DEPLOYMENT)).withHeader("api-key", equalTo(AZURE_KEY))
                .withoutHeader("authorization"));
    }

    @Test
    void streamsTheSameAnswerWithItsUsage() {
        upstream.stubFor(post(DEPLOYMENT).atPriority(2).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));
        upstream.stubFor(post(DEPLOYMENT).atPriority(1).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(sse(Fixtures.text("azure/chat-completion-stream.sse"))));
        StringBuilder streamed = new StringBuilder();
        long[] total = {0};

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                params("gpt-4o-mini", "What is Azure OpenAI?").toBuilder()
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                chunk.usage().ifPresent(u -> total[0] = u.totalTokens());
            });
        }

        assertThat(streamed.toString()).isEqualTo(client.chat().completions().create(params("gpt-4o-mini", "What is Azure OpenAI?"))
                .choices().get(0).message().content().orElseThrow());
        assertThat(total[0]).isEqualTo(1293);
        upstream.verify(postRequestedFor(urlEqualTo(DEPLOYMENT))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @Test
    void toolsJsonOutputAndImagesGoAsOpenAiWroteThemAndCachedTokensArePriced() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", """
                {"model":"gpt-4o-mini","response_format":{"type":"json_object"},
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"Describe"},
                   {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""");

        // 256 uncached at $0.15, 1024 cached at $0.075, 13 out at $0.60, per 1M tokens.
        double expected = (256 * 0.15 + 1024 * 0.075 + 13 * 0.60) / 1e6;
        assertThat(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow()))
                .isCloseTo(expected, within(1e-12));
        upstream.verify(postRequestedFor(urlEqualTo(DEPLOYMENT))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object")))
                .withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("lookup")))
                .withRequestBody(matchingJsonPath("$.messages[0].content[1].image_url.url", equalTo("https://example.com/cat.png"))));
    }

    @Test
    void aReasoningDeploymentGetsTheRoutesEffort() {
        upstream.stubFor(post(REASONING).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));

        gateway.post("/v1/chat/completions", "{\"model\":\"o3-mini\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        upstream.verify(postRequestedFor(urlEqualTo(REASONING))
                .withRequestBody(matchingJsonPath("$.reasoning_effort", equalTo("low")))
                .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("300"))));
    }

    @Test
    void aPromptTheContentFilterRefusedIsTheClients400AndNoFallbackIsTried() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(400, Fixtures.text("azure/error-400-content-filter.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"something hateful\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("content_filter");
        assertThat(error.getString("message")).contains("filtered: hate high, violence medium");
        upstream.verify(0, postRequestedFor(urlEqualTo("/openai/v1/chat/completions")));
    }

    @Test
    void aFilteredCompletionSaysSo() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(200, Fixtures.text("azure/chat-completion-filtered.json"))));

        ChatCompletion completion = client.chat().completions().create(params("gpt-4o-mini", "A violent story"));

        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("content_filter");
    }

    @Test
    void anErrorBeforeTheFirstByteFallsBackAndOneMidStreamEndsTheStreamHonestly() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Backend returned unexpected response.\"}}")));
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> fellBack = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");
        String cut = Fixtures.text("azure/chat-completion-stream.sse");
        cut = cut.substring(0, cut.indexOf("data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\""))
                + "data: {\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error while processing your request.\"}}\n\n";
        upstream.stubFor(post(DEPLOYMENT).atPriority(1).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(sse(cut)));
        HttpResponse<String> streamed = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(fellBack.headers().firstValue("x-gearbox-model")).hasValue("backup");
        assertThat(fellBack.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(v -> assertThat(v).contains("500"));
        assertThat(streamed.body()).contains("Azure OpenAI is a managed service").contains("processing your request")
                .doesNotContain("[DONE]");
    }

    @Test
    void anEntraTokenIsSentInTheV1PathStyleAndAnExpiredOneIsRefreshedWithoutAFailedRequest() {
        upstream.stubFor(post(V1).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));

        ChatCompletion first = client.chat().completions().create(params("gpt-4.1", "hi"));
        CLOCK.advance(Duration.ofHours(2));
        ChatCompletion second = client.chat().completions().create(params("gpt-4.1", "hi"));

        assertThat(first.choices()).hasSize(1);
        assertThat(second.choices()).hasSize(1);
        upstream.verify(1, postRequestedFor(urlEqualTo(V1)).withHeader("authorization", equalTo("Bearer eyJ0.first")));
        upstream.verify(1, postRequestedFor(urlEqualTo(V1)).withHeader("authorization", equalTo("Bearer eyJ0.second")));
        upstream.verify(postRequestedFor(urlEqualTo(V1)).withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4.1"))));
        upstream.verify(2, postRequestedFor(urlEqualTo("/tenant-1/oauth2/v2.0/token")));
    }

    @Test
    void theAnthropicSdkReachesAnAzureDeployment() {
        upstream.stubFor(post(DEPLOYMENT).willReturn(json(200, Fixtures.text("azure/chat-completion.json"))));
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("unused").maxRetries(0).build();

        Message message = anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(100)
                .addUserMessage("What is Azure OpenAI?").build());

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Azure OpenAI is a managed service that serves OpenAI's models.");
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
