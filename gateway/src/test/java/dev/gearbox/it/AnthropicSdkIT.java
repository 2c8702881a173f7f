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

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.DocumentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official Anthropic Java SDK, unmodified, against {@code /v1/messages}: with the simulated models, a
 * WireMock OpenAI upstream (Messages translated to chat and back) and a WireMock Anthropic upstream (the
 * client's request sent as it was, apart from the model).
 */
@Timeout(60)
class AnthropicSdkIT {

    private static final String KEY = "gbx-team-a-0123456789";
    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static AnthropicClient client;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        gateway = TestGateway.start("""
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 1
                  api_keys:
                    - {key: "${TEAM_A_KEY}", tenant: team-a}
                providers:
                  sim: {type: simulated}
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                  anthropic: {type: anthropic, base_url: "http://127.0.0.1:%1$d/anthropic/v1", api_key: "${ANTHROPIC_KEY}"}
                models:
                %2$s
                  - {id: gpt-4o-mini, provider: openai, upstream: gpt-4o-mini-2024-07-18}
                  - {id: busy, provider: openai}
                  - {id: claude-sonnet-4, provider: anthropic, upstream: claude-sonnet-4-20250514}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), TestGateway.INSTANT_SIM_MODELS.indent(2)),
                Map.of("TEAM_A_KEY", KEY, "ANTHROPIC_KEY", "sk-ant-upstream-0123456789"));
        client = client(KEY);
    }

    private static AnthropicClient client(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(key).maxRetries(0).build();
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

    private static MessageCreateParams params(String model, String prompt) {
        return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage(prompt).build();
    }

    private static String text(Message message) {
        return message.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text()).collect(Collectors.joining());
    }

    @Test
    void createsAMessageWithASimulatedModel() {
        Message message = client.messages().create(params("sim-cheap", "Say hello."));

        assertThat(text(message)).isNotBlank();
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    void streamsAMessageThatAssemblesToTheSameText() {
        Message whole = client.messages().create(params("sim-cheap", "Tell me about gateways."));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(params("sim-cheap", "Tell me about gateways."))) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();

        assertThat(text(streamed)).isEqualTo(text(whole));
        assertThat(streamed.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
    }

    @Test
    void completesAToolRoundTripThroughAnOpenAiUpstream() {
        upstream.stubFor(post("/openai/v1/chat/completions").atPriority(2).willReturn(json(200, Fixtures.text("openai/tool-call.json"))));
        upstream.stubFor(post("/openai/v1/chat/completions").atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(json(200, Fixtures.text("openai/tool-result-answer.json"))));
        MessageCreateParams first = MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(256)
                .addUserMessage("Weather in Paris?")
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build())
                .build();

        Message call = client.messages().create(first);
        ToolUseBlock toolUse = call.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        Message answer = client.messages().create(first.toBuilder()
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("18C").build())))
                .build());

        assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(text(answer)).isEqualTo("It is 18°C and sunny in Paris.");
        upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"gpt-4o-mini-2024-07-18","max_tokens":256,
                 "messages":[{"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_Dn2RJJSxzDm49vlVTehseJ0k","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_Dn2RJJSxzDm49vlVTehseJ0k","content":"18C"}]}""", false, true)));
    }

    @Test
    void streamsFromAnOpenAiUpstreamAsAnthropicEvents() {
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(Fixtures.text("openai/chat-completion-stream.sse"))));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(params("gpt-4o-mini", "Capital of France?"))) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertThat(text(accumulator.message())).isEqualTo("The capital of France is Paris.");
    }

    @Test
    void leavesWhatOnlyAnthropicUsesOutOfTheRequestToAnOpenAiUpstream() {
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));
        String body = """
                {"model":"gpt-4o-mini","max_tokens":100,
                 "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"What is 27 * 453?"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"Multiply.","signature":"EqQBCgIYAhIM1gbc"},
                    {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3p"},{"type":"text","text":"12,231"}]},
                  {"role":"user","content":[{"type":"text","text":"Capital of France?","cache_control":{"type":"ephemeral"}}]}]}""";

        HttpResponse<String> response = gateway.post("/v1/messages", body, "x-api-key", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        upstream.verify(postRequestedFor(urlEqualTo("/openai/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"gpt-4o-mini-2024-07-18","max_tokens":100,"messages":[
                  {"role":"system","content":[{"type":"text","text":"Be brief."}]},
                  {"role":"user","content":"What is 27 * 453?"},
                  {"role":"assistant","content":"12,231"},
                  {"role":"user","content":[{"type":"text","text":"Capital of France?"}]}]}""")));
    }

    @Test
    void sendsTheClientsRequestToAnAnthropicUpstreamAsSentApartFromTheModel() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));
        String body = """
                {"model":"claude-sonnet-4","max_tokens":100,"messages":[{"role":"user","content":"Hello"}],
                 "container":"container_011CPR5CNjB747bTd36fQLFk","mcp_servers":[{"type":"url","url":"https://example.com/sse","name":"x"}],
                 "service_tier":"standard_only","top_k":5}""";

        HttpResponse<String> response = gateway.post("/v1/messages", body, "x-api-key", KEY, "anthropic-version", "2023-06-01",
                "anthropic-beta", "mcp-client-2025-04-04");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getJsonArray("content").getJsonObject(0).getString("text"))
                .isEqualTo("Hello! How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withHeader("x-api-key", equalTo("sk-ant-upstream-0123456789"))
                .withHeader("anthropic-beta", equalTo("mcp-client-2025-04-04"))
                .withRequestBody(equalToJson(new JsonObject(body).put("model", "claude-sonnet-4-20250514").encode())));
    }

    @Test
    void servesTheDatedModelIdsTheSdkSendsAsTheirCatalogEntries() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));

        Message sonnet = client.messages().create(MessageCreateParams.builder().model(Model.of("claude-sonnet-4-20250514"))
                .maxTokens(100).addUserMessage("Hello").build());
        Message haiku = client.messages().create(params("claude-3-5-haiku-20241022", "Hello"));

        assertThat(text(sonnet)).isEqualTo("Hello! How can I help you today?");
        assertThat(text(haiku)).isEqualTo("Hello! How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-sonnet-4-20250514"))));
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-3-5-haiku-20241022"))));
        HttpResponse<String> viaChat = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4-20250514\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                "authorization", "Bearer " + KEY);
        assertThat(viaChat.statusCode()).as(viaChat.body()).isEqualTo(200);
        assertThat(viaChat.headers().firstValue("x-gearbox-model")).hasValue("claude-sonnet-4");
    }

    @Test
    void sendsATurnOfOnlyADocumentToAnAnthropicModelAsWritten() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(json(200, Fixtures.text("anthropic/messages-text.json"))));

        Message message = client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4").maxTokens(100)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofDocument(DocumentBlockParam.builder()
                        .textSource("The grass is green. The sky is blue.").build()))).build());

        assertThat(text(message)).isEqualTo("Hello! How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].type", equalTo("document")))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].source.data",
                        equalTo("The grass is green. The sky is blue."))));
    }

    @Test
    void refusesATurnWithoutAChatFormForAChatModelNamingTheBlockAndSendsAnUnknownBlockToAnthropic() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(json(400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages.0.content.0: unknown\"}}")));
        String document = """
                {"model":"%s","max_tokens":50,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The sky is blue."}}]}]}""";
        String unknown = """
                {"model":"%s","max_tokens":50,"messages":[{"role":"user","content":[{"type":"hologram","data":"x"}]}]}""";

        assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("sim-cheap").maxTokens(50)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofDocument(DocumentBlockParam.builder()
                        .textSource("The sky is blue.").build()))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
                        .contains("messages.0.content.0 is a 'document' block").doesNotContain("at least one message"));
        HttpResponse<String> toChat = gateway.post("/v1/messages", document.formatted("sim-cheap"), "x-api-key", KEY);
        HttpResponse<String> unknownToChat = gateway.post("/v1/messages", unknown.formatted("sim-cheap"), "x-api-key", KEY);
        HttpResponse<String> unknownToAnthropic = gateway.post("/v1/messages", unknown.formatted("claude-sonnet-4"), "x-api-key", KEY);

        assertThat(toChat.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(toChat.body()).getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertThat(unknownToChat.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(unknownToChat.body()).getJsonObject("error").getString("message"))
                .contains("messages.0.content.0 is a 'hologram' block").doesNotContain("at least one message");
        assertThat(unknownToAnthropic.statusCode()).as("Anthropic's own verdict, relayed").isEqualTo(400);
        upstream.verify(1, postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].type", equalTo("hologram"))));
    }

    @Test
    void streamsThinkingFromAnAnthropicUpstreamWithItsSignatureIntact() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(Fixtures.text("anthropic/messages-thinking-stream.sse"))));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("claude-sonnet-4", "27 * 453?")
                .toBuilder().thinking(ThinkingConfigEnabled.builder().budgetTokens(1024).build()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        ThinkingBlock thinking = message.content().get(0).thinking().orElseThrow();
        assertThat(thinking.thinking()).isEqualTo("The user asks for 27 * 453. 27 * 453 = 12231.");
        assertThat(thinking.signature()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");
        assertThat(text(message)).isEqualTo("27 * 453 = 12,231");
        assertThat(message.usage().cacheReadInputTokens()).hasValue(4000L);
        assertThat(message.usage().cacheCreationInputTokens()).hasValue(1500L);
        assertThat(message.usage().inputTokens()).isEqualTo(2048);
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.thinking.budget_tokens", equalTo("1024"))));
    }

    @Test
    void endsAStreamCutUpstreamWithAnErrorEventNotMessageStop() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(Fixtures.text("anthropic/messages-error-stream.sse"))));

        HttpResponse<String> response = gateway.post("/v1/messages",
                "{\"model\":\"claude-sonnet-4\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-api-key", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("event: message_start").contains("\"text\":\"Hello\"")
                .doesNotContain("message_stop").endsWith("\n\n");
        assertThat(response.body().substring(response.body().lastIndexOf("event: "))).startsWith("event: error\n");
    }

    @Test
    void countsTokensWithTheGatewaysTokenizer() {
        long small = client.messages().countTokens(MessageCountTokensParams.builder().model("sim-cheap")
                .addUserMessage("Hello").build()).inputTokens();
        long large = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4")
                .addUserMessage("Hello, how are you doing today? I would like to know about the weather.").build()).inputTokens();

        assertThat(small).isPositive();
        assertThat(large).isGreaterThan(small);
        upstream.verify(0, postRequestedFor(urlEqualTo("/anthropic/v1/messages/count_tokens")));
    }

    @Test
    void mapsAnUnknownModelToNotFound() {
        assertThatThrownBy(() -> client.messages().create(params("no-such-model", "hi")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("no-such-model"));
    }

    @Test
    void mapsAWrongKeyToUnauthorized() {
        AnthropicClient wrong = client("gbx-wrong-key");
        try {
            assertThatThrownBy(() -> wrong.messages().create(params("sim-cheap", "hi")))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            wrong.close();
        }
    }

    @Test
    void mapsAThrottledUpstreamToRateLimit() {
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(429, Fixtures.text("openai/error-429-rate-limit.json"))
                .withHeader("retry-after", "7")));

        assertThatThrownBy(() -> client.messages().create(params("busy", "hi")))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.headers().values("retry-after")).containsExactly("7"));
    }

    @Test
    void mapsAMalformedRequestToBadRequestNamingTheField() {
        HttpResponse<String> response = gateway.post("/v1/messages",
                "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", KEY);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(error.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getJsonObject("error").getString("message")).contains("max_tokens");

        assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("sim-cheap").maxTokens(10)
                .addUserMessage("hi").putAdditionalBodyProperty("temperature", JsonValue.from(3.0)).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("temperature"));
    }

    @Test
    void answersTheHttpLayersErrorsInAnthropicsShape() {
        HttpResponse<String> unauthorized = gateway.post("/v1/messages", "{}");
        HttpResponse<String> notJson = gateway.post("/v1/messages", "{\"model\":", "x-api-key", KEY);

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(unauthorized.body()).getJsonObject("error").getString("type")).isEqualTo("authentication_error");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(notJson.body()).getString("type")).isEqualTo("error");
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }
}
