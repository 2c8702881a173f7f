package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Legacy completions to an upstream that serves them (sent as written) and to a chat-only one (translated). */
@Timeout(60)
class CompletionsUpstreamIT {

    private static WireMockServer upstream;
    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  openai: {type: openai, base_url: "http://127.0.0.1:%d/native/v1", apis: [chat_completions, completions]}
                  vllm: {type: openai, base_url: "http://127.0.0.1:%d/chat/v1"}
                models:
                  - {id: gpt-3.5-turbo-instruct, provider: openai}
                  - {id: llama, provider: vllm, upstream: meta-llama/Llama-3.3-70B-Instruct}
                """.formatted(upstream.port(), upstream.port()));
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
    void anUpstreamServingCompletionsReceivesTheClientsJsonWithOnlyTheModelReplaced() {
        upstream.stubFor(post("/native/v1/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(Fixtures.text("completions/completion.json"))));
        JsonObject sent = Fixtures.json("completions/request.json").put("model", "gpt-3.5-turbo-instruct").put("echo", false);

        var response = gateway.post("/v1/completions", sent.encode());

        assertThat(response.statusCode()).isEqualTo(200);
        upstream.verify(postRequestedFor(urlEqualTo("/native/v1/completions")).withRequestBody(equalToJson(sent.encode())));
        JsonObject completion = new JsonObject(response.body());
        assertThat(completion.getString("object")).isEqualTo("text_completion");
        assertThat(completion.getJsonArray("choices").getJsonObject(0).getString("text")).isEqualTo("\n\nThis is indeed a test");
        assertThat(completion.getJsonObject("usage").getLong("total_tokens")).isEqualTo(12);
    }

    @Test
    void aChatOnlyUpstreamIsSentAChatRequestAndItsStreamReachesTheSdkAsText() {
        upstream.stubFor(post("/chat/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(Fixtures.text("openai/chat-completion-stream.sse"))));

        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                .model("llama").prompt("Say this is a test").maxTokens(20).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> text.append(c.text())));
        }

        assertThat(text.toString()).isNotBlank();
        upstream.verify(postRequestedFor(urlEqualTo("/chat/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model":"meta-llama/Llama-3.3-70B-Instruct","max_tokens":20,"stream":true,
                 "stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say this is a test"}]}""")));
    }
}
