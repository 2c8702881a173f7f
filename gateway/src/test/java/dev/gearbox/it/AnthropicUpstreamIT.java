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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
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

/** Claude behind the chat completions endpoint: a WireMock Anthropic upstream, driven by the official OpenAI SDK. */
@Timeout(60)
class AnthropicUpstreamIT {

    private static final String ANTHROPIC_KEY = "sk-ant-api03-upstream-secret-0123456789";
    private static final String MESSAGES = "/anthropic/v1/messages";
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
                  - id: claude-sonnet-4
                    provider: anthropic
                    upstream: claude-sonnet-4-20250514
                    price: {input: 3.00, cached_input: 0.30, cache_write: 3.75, output: 15.00}
                    max_output_tokens: 64000
                  - id: claude-3-5-haiku
                    provider: anthropic
                    upstream: claude-3-5-haiku-20241022
                    price: {input: 0.80, cached_input: 0.08, cache_write: 1.00, output: 4.00}
                    max_output_tokens: 8192
                  - {id: gpt-4o-mini, provider: openai, price: {input: 0.15, output: 0.60}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: haiku-falls-back
                    when: {model: claude-3-5-haiku}
                    then: {models: [claude-3-5-haiku], fallbacks: [gpt-4o-mini]}
                  - name: default
                    then: {models: [claude-sonnet-4]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  anthropic:
                    type: anthropic
                    base_url: http://127.0.0.1:%1$d/anthropic/v1
                    api_key: ${ANTHROPIC_KEY}
                    headers: {anthropic-beta: interleaved-thinking-2025-05-14}
                  openai:
                    type: openai
                    base_url: http://127.0.0.1:%1$d/openai/v1
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), rules), Map.of("ANTHROPIC_KEY", ANTHROPIC_KEY));
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
    void answersAPlainRequestFromClaudeWithTheAnthropicHeaders() {
        upstream.stubFor(post(MESSAGES).willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));

        ChatCompletion completion = client.chat().completions().create(params("claude-sonnet-4", "Hello"));

        assertThat(completion.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
        upstream.verify(postRequestedFor(urlEqualTo(MESSAGES))
                .withHeader("x-api-key", equalTo(ANTHROPIC_KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withHeader("anthropic-beta", equalTo("interleaved-thinking-2025-05-14"))
                .withoutHeader("authorization")
                .withRequestBody(equalToJson("""
                        {"model":"claude-sonnet-4-20250514","max_tokens":64000,
                         "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]}""")));
    }

    @Test
    void streamsTextThatAssemblesToTheNonStreamedAnswer() {
        upstream.stubFor(post(MESSAGES).atPriority(2).willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));
        upstream.stubFor(post(MESSAGES).atPriority(1).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(sse(Fixtures.text("anthropic/messages-text-stream.sse"))));

        String whole = client.chat().completions().create(params("claude-sonnet-4", "Hello")).choices().get(0)
                .message().content().orElseThrow();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params("claude-sonnet-4", "Hello"))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text.toString()).isEqualTo(whole);
    }

    @Test
    void completesAToolCallRoundTrip() {
        upstream.stubFor(post(MESSAGES).atPriority(2).willReturn(json(200, Fixtures.text("anthropic/messages-tool-use.json"))));
        upstream.stubFor(post(MESSAGES).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[2].content[?(@.type == 'tool_result')]"))
                .willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude-sonnet-4")
                .addUserMessage("Weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").build())
                .build();

        ChatCompletion call = client.chat().completions().create(first);
        ChatCompletionMessageFunctionToolCall toolCall = call.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        ChatCompletion answer = client.chat().completions().create(first.toBuilder()
                .addMessage(call.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id()).content("15C").build())
                .build());

        assertThat(call.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(toolCall.function().arguments()).isEqualTo("{\"location\":\"Paris, France\"}");
        assertThat(answer.choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo(MESSAGES)).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"I'll check the weather in Paris."},
                   {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris, France"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15C"}]}]}""",
                false, true)));
    }

    @Test
    void streamsToolCallDeltasThatAssembleToTheToolCall() {
        upstream.stubFor(post(MESSAGES).willReturn(sse(Fixtures.text("anthropic/messages-tool-use-stream.sse"))));
        StringBuilder arguments = new StringBuilder();
        StringBuilder names = new StringBuilder();
        StringBuilder finish = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-sonnet-4").addUserMessage("Weather in Paris?")
                        .addFunctionTool(FunctionDefinition.builder().name("get_weather").build()).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> {
                c.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function().ifPresent(f -> {
                    f.name().ifPresent(names::append);
                    f.arguments().ifPresent(arguments::append);
                })));
                c.finishReason().ifPresent(r -> finish.append(r.asString()));
            }));
        }

        assertThat(names.toString()).isEqualTo("get_weather");
        assertThat(new io.vertx.core.json.JsonObject(arguments.toString()))
                .isEqualTo(new io.vertx.core.json.JsonObject().put("location", "Paris, France"));
        assertThat(finish.toString()).isEqualTo("tool_calls");
    }

    @Test
    void relaysARateLimitWithItsRetryAfterWhenNoModelIsLeft() {
        upstream.stubFor(post(MESSAGES).willReturn(json(429, Fixtures.text("anthropic/error-429-rate-limit.json"))
                .withHeader("retry-after", "12")));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("12");
        assertThat(new io.vertx.core.json.JsonObject(response.body()).getJsonObject("error").getString("type"))
                .isEqualTo("rate_limit_error");
    }

    @Test
    void sendsAnImagePartAsAnImageBlock() {
        upstream.stubFor(post(MESSAGES).willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

        client.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-sonnet-4")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("data:image/png;base64," + png).build()).build())))
                .build());

        upstream.verify(postRequestedFor(urlEqualTo(MESSAGES)).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}]}""".formatted(png),
                false, true)));
    }

    @Test
    void givesExtendedThinkingAsReasoningContentAndSendsItsSignatureBackOnTheNextTurn() {
        upstream.stubFor(post(MESSAGES).willReturn(json(200, Fixtures.text("anthropic/messages-thinking.json"))));
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude-sonnet-4")
                .reasoningEffort(ReasoningEffort.MEDIUM).addUserMessage("What is 27 * 453?").build();

        ChatCompletion answer = client.chat().completions().create(first);
        ChatCompletionMessage message = answer.choices().get(0).message();
        // The SDK keeps fields it does not know on the answer but not in toParam(): the client carries them over.
        client.chat().completions().create(first.toBuilder().addMessage(message.toParam().toBuilder()
                        .putAdditionalProperty("thinking_blocks", message._additionalProperties().get("thinking_blocks"))
                        .build())
                .addUserMessage("And divided by 3?").build());

        assertThat(message._additionalProperties().get("reasoning_content"))
                .isEqualTo(JsonValue.from("The user asks for 27 * 453. 27 * 453 = 12231."));
        upstream.verify(postRequestedFor(urlEqualTo(MESSAGES))
                .withRequestBody(equalToJson(Fixtures.text("anthropic/messages-thinking-round-trip.json"))));
    }

    @Test
    void pricesCacheReadsAndWritesAtTheirOwnPrices() {
        upstream.stubFor(post(MESSAGES).willReturn(json(200, Fixtures.text("anthropic/messages-thinking.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"27 * 453?\"}]}");

        // 2048 uncached at $3, 4000 read at $0.30, 1500 written at $3.75, 120 out at $15, per 1M tokens.
        double expected = (2048 * 3.00 + 4000 * 0.30 + 1500 * 3.75 + 120 * 15.00) / 1e6;
        assertThat(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow()))
                .isCloseTo(expected, within(1e-9));
        assertThat(new io.vertx.core.json.JsonObject(response.body()).getJsonObject("usage").getLong("prompt_tokens"))
                .isEqualTo(7548);
    }

    @Test
    void fallsBackToAnotherModelWhenClaudeIsOverloaded() {
        upstream.stubFor(post(MESSAGES).willReturn(json(529, Fixtures.text("anthropic/error-529-overloaded.json"))));
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-3-5-haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("The capital of France is Paris.");
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(v -> assertThat(v).contains("529"));
    }

    @Test
    void addsTheBetasAMessagesClientAskedForToTheProvidersOwn() {
        upstream.stubFor(post(MESSAGES).willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));

        gateway.post("/v1/messages", "{\"model\":\"claude-sonnet-4\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "anthropic-beta", "fine-grained-tool-streaming-2025-05-14");

        upstream.verify(postRequestedFor(urlEqualTo(MESSAGES)).withHeader("anthropic-beta",
                equalTo("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14")));
    }

    @Test
    void refusesAChatFieldClaudeCannotExpressWithA400NamingIt() {
        assertThatThrownBy(() -> client.chat().completions().create(params("claude-sonnet-4", "hi").toBuilder().n(2).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("'n' is not supported by Anthropic models"));
        upstream.verify(0, postRequestedFor(urlEqualTo(MESSAGES)));
    }

    @Test
    void relaysAnthropicsInvalidRequestAs400WithoutRetrying() {
        upstream.stubFor(post(MESSAGES).willReturn(json(400, Fixtures.text("anthropic/error-400-invalid-request.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-3-5-haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_request_error").contains("roles must alternate");
        upstream.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
        upstream.verify(0, postRequestedFor(urlEqualTo("/openai/v1/chat/completions")));
    }

    private static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream; charset=utf-8")
                .withBody(body).withChunkedDribbleDelay(7, 100);
    }
}
