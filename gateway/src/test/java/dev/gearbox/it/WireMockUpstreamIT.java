package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway in front of an OpenAI-compatible upstream played by WireMock with recorded responses. */
@Timeout(60)
class WireMockUpstreamIT {

    private static final String UPSTREAM_KEY = "sk-upstream-secret-0123456789";
    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  openai:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    api_key: ${UPSTREAM_KEY}
                    headers: {OpenAI-Organization: org-gearbox-test}
                    read_timeout_ms: 1000
                  deepseek:
                    type: openai
                    base_url: http://127.0.0.1:%d/deepseek/v1
                    api_key: ${UPSTREAM_KEY}
                  dead:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    connect_timeout_ms: 1000
                models:
                  - {id: gpt-4o-mini, provider: openai, upstream: gpt-4o-mini-2024-07-18}
                  - {id: o3-mini, provider: openai}
                  - {id: deepseek-reasoner, provider: deepseek}
                  - {id: offline-model, provider: dead}
                  - {id: text-embedding-3-small, provider: openai, kind: embeddings}
                aliases: {auto: gpt-4o-mini}
                default_embedding_model: text-embedding-3-small
                """.formatted(upstream.port(), upstream.port(), closedPort), Map.of("UPSTREAM_KEY", UPSTREAM_KEY));
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
    void relaysARecordedCompletionToTheSdk() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        ChatCompletion completion = client.chat().completions().create(params("auto", "What is the capital of France?"));

        assertThat(completion.choices().get(0).message().content()).hasValue("The capital of France is Paris.");
        assertThat(completion.id()).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini-2024-07-18"))));
    }

    @Test
    void servesOpenAisDatedSnapshotsByTheirCatalogEntryAndSendsTheSnapshotPinned() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> listed = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini-2024-07-18\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        HttpResponse<String> snapshot = gateway.post("/v1/chat/completions",
                "{\"model\":\"o3-mini-2025-01-31\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("x-gearbox-model")).hasValue("o3-mini");
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini-2024-07-18"))));
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("o3-mini-2025-01-31"))));
        assertThat(gateway.get("/v1/models/o3-mini-2025-01-31").statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/chat/completions",
                "{\"model\":\"o3-mini-2025-13-31\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                .as("not a date").isEqualTo(404);
    }

    @Test
    void streamsARecordedStreamWhoseTextEqualsTheCompletion() {
        upstream.stubFor(post("/v1/chat/completions").withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(sse(Fixtures.text("openai/chat-completion-stream.sse"))));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(params("gpt-4o-mini", "What is the capital of France?"))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }

        assertThat(text.toString()).isEqualTo("The capital of France is Paris.");
    }

    @Test
    void completesAToolCallRoundTripThroughTheSdk() {
        upstream.stubFor(post("/v1/chat/completions").atPriority(2).willReturn(okJson(Fixtures.text("openai/tool-call.json"))));
        upstream.stubFor(post("/v1/chat/completions").atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'tool')]"))
                .willReturn(okJson(Fixtures.text("openai/tool-result-answer.json"))));
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("Weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").build())
                .build();

        ChatCompletion call = client.chat().completions().create(first);
        ChatCompletionMessageFunctionToolCall toolCall = call.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        ChatCompletion answer = client.chat().completions().create(first.toBuilder()
                .addMessage(call.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id()).content("18C").build())
                .build());

        assertThat(toolCall.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(answer.choices().get(0).message().content()).hasValue("It is 18°C and sunny in Paris.");
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[2].tool_call_id", equalTo("call_Dn2RJJSxzDm49vlVTehseJ0k"))));
    }

    @Test
    void relaysStreamedToolCallDeltasUnchanged() {
        String sse = Fixtures.text("openai/tool-call-stream.sse");
        upstream.stubFor(post("/v1/chat/completions").willReturn(sse(sse)));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.body()).isEqualTo(sse);
    }

    @Test
    void relaysDeepSeekReasoningContentAndDropsTheUsageChunkTheClientDidNotAskFor() {
        String sse = Fixtures.text("deepseek/reasoner-stream.sse");
        upstream.stubFor(post("/deepseek/v1/chat/completions").willReturn(sse(sse)));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"deepseek-reasoner\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"9.11 or 9.8?\"}]}");

        String usageChunk = sse.lines().filter(l -> l.contains("\"choices\":[]")).findFirst().orElseThrow();
        assertThat(response.body()).isEqualTo(sse.replace(usageChunk + "\n\n", ""));
        assertThat(response.body()).contains("\"reasoning_content\":\"Compare\"").endsWith("data: [DONE]\n\n");
        assertThat(response.headers().firstValue("x-gearbox-provider")).hasValue("deepseek");
        upstream.verify(postRequestedFor(urlEqualTo("/deepseek/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @Test
    void forwardsTheClientBodyUnchangedApartFromModelAndStreamOptions() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(sse(Fixtures.text("openai/chat-completion-stream.sse"))));
        String body = """
                {"model":"auto","stream":true,
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"hi"}]}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":"auto","parallel_tool_calls":false,"response_format":{"type":"json_object"},
                 "seed":42,"logprobs":true,"top_logprobs":2,"n":1,"stop":["\\n\\n"],"user":"user-7",
                 "metadata":{"team":"search"},"temperature":0.3,"max_tokens":99,
                 "x_vendor_extension":{"nested":[1,2.5,"three",null,true]}}""";

        gateway.post("/v1/chat/completions", body);

        JsonObject expected = new JsonObject(body).put("model", "gpt-4o-mini-2024-07-18")
                .put("stream_options", new JsonObject().put("include_usage", true));
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson(expected.encode(), false, false)));
    }

    @Test
    void sendsTheProviderKeyAndExtraHeadersButNotTheClientsKey() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        gateway.post("/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer client-key");

        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + UPSTREAM_KEY))
                .withHeader("OpenAI-Organization", equalTo("org-gearbox-test")));
    }

    @Test
    void translatesARequestForAnOSeriesModel() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        gateway.post("/v1/chat/completions", Fixtures.json("quirks/gpt4o-style-request.json").encode());

        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson(Fixtures.json("quirks/gpt4o-style-request.o-series.json").encode(), false, false)));
    }

    @Test
    void forwardsEmbeddings() {
        upstream.stubFor(post("/v1/embeddings").willReturn(okJson(Fixtures.text("openai/embeddings.json"))));

        HttpResponse<String> response = gateway.post("/v1/embeddings", "{\"input\":\"hello\",\"encoding_format\":\"float\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(Fixtures.json("openai/embeddings.json"));
        upstream.verify(postRequestedFor(urlEqualTo("/v1/embeddings"))
                .withRequestBody(equalToJson("{\"input\":\"hello\",\"encoding_format\":\"float\",\"model\":\"text-embedding-3-small\"}")));
    }

    @Test
    void relaysAnUpstream400WithItsDetails() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withBody(Fixtures.text("openai/error-400-bad-tool.json"))));

        JsonObject error = assertError(chat("gpt-4o-mini"), 400, "invalid_request_error");

        assertThat(error.getString("param")).isEqualTo("tools[0].function.parameters");
        assertThat(error.getString("code")).isEqualTo("invalid_function_parameters");
    }

    @Test
    void relaysAnUpstream429WithRetryAfter() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")
                .withHeader("content-type", "application/json").withBody(Fixtures.text("openai/error-429-rate-limit.json"))));

        HttpResponse<String> response = chat("gpt-4o-mini");

        assertError(response, 429, "requests");
        assertThat(response.headers().firstValue("retry-after")).hasValue("3");
    }

    @Test
    void answers502WhenUpstreamFailsWith5xx() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(503).withBody("upstream overloaded")));

        JsonObject error = assertError(chat("gpt-4o-mini"), 502, "server_error");

        assertThat(error.getString("message")).contains("503").contains("upstream overloaded");
    }

    @Test
    void answers502WhenUpstreamCannotBeReached() {
        JsonObject error = assertError(chat("offline-model"), 502, "server_error");

        assertThat(error.getString("code")).isEqualTo("upstream_unavailable");
    }

    @Test
    void answers502WhenUpstreamResetsTheConnection() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertError(chat("gpt-4o-mini"), 502, "server_error");
    }

    @Test
    void answers504WhenUpstreamDoesNotAnswerInTime() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))
                .withFixedDelay(5_000)));

        JsonObject error = assertError(chat("gpt-4o-mini"), 504, "server_error");

        assertThat(error.getString("code")).isEqualTo("upstream_timeout");
    }

    @Test
    void neverLeaksTheProviderKey() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(401)
                .withHeader("content-type", "application/json").withBody(Fixtures.text("openai/error-401-invalid-key.json"))));

        HttpResponse<String> response = chat("gpt-4o-mini");

        assertError(response, 401, "invalid_request_error");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY).doesNotContain("0123456789");
        assertThat(response.headers().map().toString()).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void unknownModelIsNotFoundForTheSdk() {
        assertThatThrownBy(() -> client.chat().completions().create(params("claude-opus", "hi")))
                .isInstanceOf(NotFoundException.class);
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void answersCarryTheModelProviderAndRequestId() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-request-id", "trace-123");

        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        assertThat(response.headers().firstValue("x-gearbox-provider")).hasValue("openai");
        assertThat(response.headers().firstValue("x-request-id")).hasValue("trace-123");
        assertThat(JsonValue.from(response.body())).isNotNull();
    }

    private static HttpResponse<String> chat(String model) {
        return gateway.post("/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream; charset=utf-8")
                .withBody(body).withChunkedDribbleDelay(7, 150);
    }
}
