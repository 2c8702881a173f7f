package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
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
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Gemini's native API behind the gateway: a WireMock Gemini upstream, reached by the OpenAI and Anthropic SDKs. */
@Timeout(60)
class GeminiUpstreamIT {

    private static final String GEMINI_KEY = "AIzaSyD-upstream-secret-0123456789abcdefgh";
    private static final String FLASH = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String FLASH_STREAM = "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static final String PRO = "/gemini/v1beta/models/gemini-2.5-pro:generateContent";
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
                  - id: gemini-2.5-flash
                    provider: gemini
                    price: {input: 0.30, cached_input: 0.075, output: 2.50}
                    capabilities: [tools, json_mode, vision]
                  - id: gemini-2.5-pro
                    provider: gemini
                    price: {input: 1.25, cached_input: 0.31, output: 10.00}
                    capabilities: [tools, json_mode, vision, reasoning]
                  - {id: gpt-4o-mini, provider: openai, price: {input: 0.15, output: 0.60}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: pro-thinks-little
                    when: {model: gemini-2.5-pro}
                    then: {models: [gemini-2.5-pro], effort: low}
                  - name: flash-falls-back
                    when: {model: gemini-2.5-flash}
                    then: {models: [gemini-2.5-flash], fallbacks: [gpt-4o-mini]}
                  - name: default
                    then: {models: [gemini-2.5-flash]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  gemini: {type: gemini, base_url: "http://127.0.0.1:%1$d/gemini/v1beta", api_key: "${GEMINI_API_KEY}"}
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), rules), Map.of("GEMINI_API_KEY", GEMINI_KEY));
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
    }

    @Test
    void answersAPlainRequestThroughGenerateContentWithTheKeyInItsHeader() {
        upstream.stubFor(post(FLASH).willReturn(json(200, Fixtures.text("gemini/text.json"))));

        ChatCompletion completion = client.chat().completions().create(params("gemini-2.5-flash", "Explain AI briefly"));

        assertThat(completion.choices().get(0).message().content()).hasValue("AI learns patterns from data to make predictions.");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(18);
        upstream.verify(postRequestedFor(urlEqualTo(FLASH))
                .withHeader("x-goog-api-key", equalTo(GEMINI_KEY))
                .withoutHeader("authorization")
                .withRequestBody(equalToJson("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Explain AI briefly\"}]}]}")));
    }

    @Test
    void streamsTheSameAnswerAsTheWholeOneFromTheSseEndpoint() {
        upstream.stubFor(post(FLASH).willReturn(json(200, Fixtures.text("gemini/text.json"))));
        upstream.stubFor(post(FLASH_STREAM).willReturn(sse(Fixtures.text("gemini/text-stream.sse"))));

        String whole = client.chat().completions().create(params("gemini-2.5-flash", "Explain AI briefly"))
                .choices().get(0).message().content().orElseThrow();
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params("gemini-2.5-flash", "Explain AI briefly"))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }

        assertThat(streamed.toString()).isEqualTo(whole);
        upstream.verify(postRequestedFor(urlEqualTo(FLASH_STREAM)).withHeader("x-goog-api-key", equalTo(GEMINI_KEY)));
    }

    @Test
    void aToolCallComesBackAndGoesBackWithItsThoughtSignature() {
        upstream.stubFor(post(FLASH).willReturn(json(200, Fixtures.text("gemini/tool-call.json"))));
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}}}]";

        HttpResponse<String> first = gateway.post("/v1/chat/completions", "{\"model\":\"gemini-2.5-flash\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]" + tools + "}");
        JsonObject message = new JsonObject(first.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        String id = message.getJsonArray("tool_calls").getJsonObject(0).getString("id");
        upstream.resetRequests();
        gateway.post("/v1/chat/completions", "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Weather in Paris?\"}," + message.encode() + ",{\"role\":\"tool\",\"tool_call_id\":\"" + id
                + "\",\"content\":\"{\\\"temperature\\\":21}\"}]" + tools + "}");

        assertThat(new JsonObject(first.body()).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                .isEqualTo("tool_calls");
        upstream.verify(postRequestedFor(urlEqualTo(FLASH))
                .withRequestBody(matchingJsonPath("$.contents[1].parts[0].thoughtSignature", equalTo(
                        "CiQB0e2Kb7oE3BQk8hTTW3m0QPlU1mtQ8lq0mxyX7bvy9VQsEsASfQHR7YpvXGk0BWDd0nCq6Q==")))
                .withRequestBody(matchingJsonPath("$.contents[2].parts[0].functionResponse.name", equalTo("get_weather")))
                .withRequestBody(matchingJsonPath("$.contents[2].parts[0].functionResponse.response.temperature", equalTo("21"))));
    }

    @Test
    void asksForJsonAndSendsImagesInline() {
        upstream.stubFor(post(FLASH).willReturn(json(200, Fixtures.text("gemini/text.json"))));

        gateway.post("/v1/chat/completions", """
                {"model":"gemini-2.5-flash","response_format":{"type":"json_object"},"messages":[{"role":"user","content":[
                 {"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}}]}]}""");

        upstream.verify(postRequestedFor(urlEqualTo(FLASH))
                .withRequestBody(matchingJsonPath("$.generationConfig.responseMimeType", equalTo("application/json")))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[1].inlineData.mimeType", equalTo("image/jpeg")))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[1].inlineData.data", equalTo("/9j/4AAQ"))));
    }

    @Test
    void theRoutesEffortIsAThinkingBudgetAndThinkingAndCachedTokensArePricedAtTheirOwnPrices() {
        upstream.stubFor(post(PRO).willReturn(json(200, Fixtures.text("gemini/thinking.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini-2.5-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"9.11 or 9.9?\"}]}");

        JsonObject message = new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("reasoning_content")).startsWith("**Comparing the numbers**");
        // 40 uncached at $1.25, 2000 cached at $0.31, 9 answer + 346 thinking out at $10, per 1M tokens.
        double expected = (40 * 1.25 + 2000 * 0.31 + 355 * 10.00) / 1e6;
        assertThat(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow()))
                .isCloseTo(expected, within(1e-9));
        upstream.verify(postRequestedFor(urlEqualTo(PRO))
                .withRequestBody(matchingJsonPath("$.generationConfig.thinkingConfig.thinkingBudget", equalTo("1024"))));
    }

    @Test
    void anErrorBeforeTheFirstByteFallsBack() {
        upstream.stubFor(post(FLASH).willReturn(json(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}")));
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(v -> assertThat(v).contains("503"));
    }

    @Test
    void aRateLimitIsTheClients429InOpenAisShapeWithoutTheKey() {
        upstream.stubFor(post(PRO).willReturn(json(429, Fixtures.text("gemini/error-429.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini-2.5-pro\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(429);
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("message")).contains("exceeded your current quota");
        assertThat(response.body()).doesNotContain(GEMINI_KEY);
    }

    @Test
    void anErrorMidStreamEndsTheStreamWithAnErrorEventAndNoDone() {
        upstream.stubFor(post(FLASH_STREAM).willReturn(sse(Fixtures.text("gemini/error-mid-stream.sse"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini-2.5-flash\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("AI learns patterns").contains("The model is overloaded").doesNotContain("[DONE]");
    }

    @Test
    void theAnthropicSdkReachesGeminiThroughMessages() {
        upstream.stubFor(post(FLASH).willReturn(json(200, Fixtures.text("gemini/text.json"))));
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("unused").maxRetries(0).build();

        Message message = anthropic.messages().create(MessageCreateParams.builder().model("gemini-2.5-flash").maxTokens(100)
                .addUserMessage("Explain AI briefly").build());

        assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("AI learns patterns from data to make predictions.");
        assertThat(message.usage().outputTokens()).isEqualTo(10);
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
