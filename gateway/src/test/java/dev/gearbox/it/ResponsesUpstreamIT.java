package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses API in front of two WireMock upstreams: one that serves the Responses API itself (it gets the
 * client's request with only the model replaced) and a chat-only one (it gets a chat completion request).
 */
@Timeout(60)
class ResponsesUpstreamIT {

    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start(@TempDir Path rules) throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: gpt-5.4, provider: openai, upstream: gpt-5.4-2026-03-05, tier: flagship}
                  - {id: llama, provider: vllm, upstream: meta-llama/Llama-3.3-70B-Instruct, tier: cheap}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto, failover]
                routes:
                  - name: failover
                    when: {model: failover}
                    then: {models: [gpt-5.4], fallbacks: [llama]}
                  - name: default
                    then: {models: [llama]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  openai:
                    type: openai
                    base_url: http://127.0.0.1:%d/native/v1
                    apis: [chat_completions, responses]
                    read_timeout_ms: 2000
                  vllm:
                    type: openai
                    base_url: http://127.0.0.1:%d/chat/v1
                    read_timeout_ms: 2000
                rules: {directory: "%s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), upstream.port(), rules));
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
    void aResponsesUpstreamReceivesTheClientsJsonUnchangedApartFromModel() {
        upstream.stubFor(post("/native/v1/responses").willReturn(okJson(Fixtures.text("responses/response-text.json"))));
        JsonObject sent = Fixtures.json("responses/request-function-tool.json").put("model", "gpt-5.4")
                .put("instructions", "Answer briefly.").put("metadata", new JsonObject().put("team", "search"))
                .put("reasoning", new JsonObject().put("effort", "low")).put("store", false)
                .put("include", new JsonArray().add("message.output_text.logprobs"));

        HttpResponse<String> answer = gateway.post("/v1/responses", sent.encode());

        assertThat(answer.statusCode()).isEqualTo(200);
        upstream.verify(postRequestedFor(urlEqualTo("/native/v1/responses"))
                .withRequestBody(equalToJson(sent.copy().put("model", "gpt-5.4-2026-03-05").encode())));
        JsonObject response = new JsonObject(answer.body());
        assertThat(response.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text")).startsWith("In a peaceful grove");
        assertThat(response.getJsonObject("usage").getLong("input_tokens")).isEqualTo(36);
        assertThat(response.getJsonObject("usage").getLong("output_tokens")).isEqualTo(87);
        assertThat(response.getJsonObject("metadata")).isEqualTo(new JsonObject().put("team", "search"));
    }

    @Test
    void aResponsesUpstreamsFunctionCallReachesTheSdk() {
        upstream.stubFor(post("/native/v1/responses").willReturn(okJson(Fixtures.text("responses/response-function-call.json"))));

        Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-5.4")
                .input("What is the weather like in Boston today?").build());

        ResponseFunctionToolCall call = response.output().get(0).asFunctionCall();
        assertThat(call.callId()).isEqualTo("call_unLAR8MvFNptuiZK6K6HCy5k");
        assertThat(call.name()).isEqualTo("get_current_weather");
        assertThat(new JsonObject(call.arguments()).getString("location")).isEqualTo("Boston, MA");
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(314);
    }

    @Test
    void aResponsesUpstreamsStreamReachesTheSdkAsTypedEvents() {
        upstream.stubFor(post("/native/v1/responses").willReturn(sse(Fixtures.text("responses/response-stream.sse"))));

        StringBuilder deltas = new StringBuilder();
        Response[] completed = {null};
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("gpt-5.4").instructions("You are a helpful assistant.").input("Hello!").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
                event.completed().ifPresent(c -> completed[0] = c.response());
            });
        }

        // The recorded example elides all but its first delta.
        assertThat(deltas.toString()).isEqualTo("Hi");
        assertThat(ResponsesSdkIT.text(completed[0])).isEqualTo("Hi");
        assertThat(completed[0].usage().orElseThrow().inputTokens()).isEqualTo(37);
        assertThat(completed[0].usage().orElseThrow().outputTokens()).isEqualTo(11);
        upstream.verify(postRequestedFor(urlEqualTo("/native/v1/responses"))
                .withRequestBody(equalToJson("{\"model\":\"gpt-5.4-2026-03-05\",\"stream\":true,\"input\":\"Hello!\","
                        + "\"instructions\":\"You are a helpful assistant.\"}")));
    }

    @Test
    void aResponsesStreamCutShortEndsInResponseFailed() {
        String[] frames = Fixtures.text("responses/response-stream.sse").split("\n\n");
        String cut = Arrays.stream(frames).limit(5).map(f -> f + "\n\n").collect(Collectors.joining());
        upstream.stubFor(post("/native/v1/responses").willReturn(sse(cut)));

        HttpResponse<String> response = gateway.post("/v1/responses", "{\"model\":\"gpt-5.4\",\"input\":\"Hello!\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> types = Arrays.stream(response.body().split("\n\n")).map(f -> f.split("\n")[0]).toList();
        assertThat(types).contains("event: response.output_text.delta").doesNotContain("event: response.completed");
        assertThat(types.get(types.size() - 1)).isEqualTo("event: response.failed");
    }

    @Test
    void aChatStreamCutShortEndsInResponseFailed() {
        String[] frames = Fixtures.text("openai/chat-completion-stream.sse").split("\n\n");
        String cut = Arrays.stream(frames).limit(3).map(f -> f + "\n\n").collect(Collectors.joining());
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(sse(cut)));

        HttpResponse<String> response = gateway.post("/v1/responses", "{\"model\":\"llama\",\"input\":\"Hello!\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> frameTypes = Arrays.stream(response.body().split("\n\n")).map(f -> f.split("\n")[0]).toList();
        assertThat(frameTypes).contains("event: response.output_text.delta").doesNotContain("event: response.completed");
        assertThat(frameTypes.get(frameTypes.size() - 1)).isEqualTo("event: response.failed");
        String[] last = response.body().strip().split("\n\n");
        JsonObject failed = new JsonObject(last[last.length - 1].split("\n")[1].substring("data: ".length()));
        assertThat(failed.getJsonObject("response").getJsonObject("error").getString("code")).startsWith("upstream_");
    }

    @Test
    void aFailingResponsesUpstreamFallsBackToAChatOnlyOneThroughTheTranslation() {
        upstream.stubFor(post("/native/v1/responses").willReturn(aResponse().withStatus(503)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/responses",
                "{\"model\":\"failover\",\"input\":\"What is the capital of France?\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("llama");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).isPresent();
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text"))
                .isEqualTo("The capital of France is Paris.");
        upstream.verify(1, postRequestedFor(urlEqualTo("/native/v1/responses")).withRequestBody(equalToJson(
                "{\"model\":\"gpt-5.4-2026-03-05\",\"input\":\"What is the capital of France?\"}")));
        upstream.verify(1, postRequestedFor(urlEqualTo("/chat/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"model\":\"meta-llama/Llama-3.3-70B-Instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}")));
    }

    @Test
    void aChatOnlyUpstreamReceivesAChatCompletionRequest() {
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));

        Response response = client.responses().create(ResponseCreateParams.builder().model("llama")
                .instructions("Answer briefly.").input("What is the capital of France?").maxOutputTokens(40).build());

        assertThat(ResponsesSdkIT.text(response)).isEqualTo("The capital of France is Paris.");
        assertThat(response.usage().orElseThrow().inputTokens())
                .isEqualTo(Fixtures.json("openai/chat-completion.json").getJsonObject("usage").getLong("prompt_tokens"));
        upstream.verify(postRequestedFor(urlEqualTo("/chat/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"meta-llama/Llama-3.3-70B-Instruct","max_tokens":40,
                 "messages":[{"role":"system","content":"Answer briefly."},
                             {"role":"user","content":"What is the capital of France?"}]}""")));
    }

    @Test
    void aChatOnlyUpstreamsStreamReachesTheSdkAsTypedEvents() {
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(sse(Fixtures.text("openai/chat-completion-stream.sse"))));

        StringBuilder deltas = new StringBuilder();
        Response[] completed = {null};
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("llama").input("What is the capital of France?").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
                event.completed().ifPresent(c -> completed[0] = c.response());
            });
        }

        assertThat(deltas.toString()).isNotEmpty().isEqualTo(ResponsesSdkIT.text(completed[0]));
        upstream.verify(postRequestedFor(urlEqualTo("/chat/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"meta-llama/Llama-3.3-70B-Instruct","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"What is the capital of France?"}]}""")));
    }

    @Test
    void aConversationBegunOnAChatUpstreamContinuesOnAResponsesUpstreamWithItsTurnsInTheInput() {
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(okJson(Fixtures.text("openai/chat-completion.json"))));
        upstream.stubFor(post("/native/v1/responses").willReturn(okJson(Fixtures.text("responses/response-text.json"))));

        Response first = client.responses().create(ResponseCreateParams.builder().model("llama")
                .input("What is the capital of France?").build());
        Response second = client.responses().create(ResponseCreateParams.builder().model("gpt-5.4")
                .input("And of Italy?").previousResponseId(first.id()).build());

        assertThat(second.previousResponseId()).hasValue(first.id());
        String messageId = first.output().get(0).asMessage().id();
        upstream.verify(postRequestedFor(urlEqualTo("/native/v1/responses")).withRequestBody(equalToJson("""
                {"model":"gpt-5.4-2026-03-05","input":[
                  {"type":"message","role":"user","content":"What is the capital of France?"},
                  {"type":"message","id":"%s","status":"completed","role":"assistant",
                   "content":[{"type":"output_text","text":"The capital of France is Paris.","annotations":[],"logprobs":[]}]},
                  {"type":"message","role":"user","content":"And of Italy?"}]}""".formatted(messageId))));
    }

    private static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream; charset=utf-8").withBody(body);
    }
}
