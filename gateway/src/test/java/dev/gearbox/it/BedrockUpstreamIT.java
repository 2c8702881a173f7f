package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gearbox.testing.EventStreamFrames;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Bedrock's Converse API behind the gateway: a WireMock Bedrock that checks nothing but records the signed
 * requests, and streams framed byte for byte as {@code application/vnd.amazon.eventstream}, dribbled in small
 * chunks so frames arrive split.
 */
@Timeout(60)
class BedrockUpstreamIT {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String MODEL = "/bedrock/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0";
    private static final String CONVERSE = MODEL + "/converse";
    private static final String CONVERSE_STREAM = MODEL + "/converse-stream";
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
                    provider: bedrock
                    upstream: us.anthropic.claude-sonnet-4-20250514-v1:0
                    price: {input: 3.00, cached_input: 0.30, cache_write: 3.75, output: 15.00}
                    max_output_tokens: 64000
                    capabilities: [tools, json_mode, vision, reasoning]
                  - {id: gpt-4o-mini, provider: openai, price: {input: 0.15, output: 0.60}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: claude-thinks-little-and-falls-back
                    when: {model: claude-sonnet-4}
                    then: {models: [claude-sonnet-4], fallbacks: [gpt-4o-mini], effort: low}
                  - name: default
                    then: {models: [claude-sonnet-4]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  bedrock:
                    type: bedrock
                    region: us-east-1
                    access_key_id: "${AWS_ACCESS_KEY_ID}"
                    secret_access_key: "${AWS_SECRET_ACCESS_KEY}"
                    base_url: "http://127.0.0.1:%1$d/bedrock"
                  openai: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1"}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 2, backoff_initial_ms: 1, backoff_max_ms: 2}
                """.formatted(upstream.port(), rules), Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY));
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
    void answersAPlainRequestSignedWithSigV4OverTheBytesItSent() {
        upstream.stubFor(post(CONVERSE).willReturn(json(200, Fixtures.text("bedrock/converse-text.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"temperature\":0.5,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEqualTo("Hello! I'm doing well, thank you. How can I help you today?");
        LoggedRequest sent = upstream.findAll(postRequestedFor(urlEqualTo(CONVERSE))).get(0);
        assertThat(sent.getHeader("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
                .contains("/us-east-1/bedrock/aws4_request");
        assertThat(sent.getHeader("authorization")).isEqualTo(resigned(sent));
        assertThat(response.body()).doesNotContain(SECRET_KEY);
    }

    /** What AWS's own signer says the request's signature is, at its x-amz-date: Bedrock's check, made here. */
    private static String resigned(LoggedRequest sent) {
        String signedHeaders = sent.getHeader("authorization").replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(sent.getAbsoluteUrl()));
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && !name.equals("x-amz-content-sha256")) {
                request.putHeader(name, sent.getHeader(name));
            }
        }
        Clock at = Clock.fixed(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").withZone(ZoneOffset.UTC)
                .parse(sent.getHeader("x-amz-date"), java.time.Instant::from), ZoneOffset.UTC);
        return AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
                        .request(request.build()).payload(ContentStreamProvider.fromByteArray(sent.getBody()))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").putProperty(HttpSigner.SIGNING_CLOCK, at))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }

    @Test
    void streamsTheSameAnswerFromTheEventStream() {
        upstream.stubFor(post(CONVERSE_STREAM).willReturn(eventStream("bedrock/converse-stream-text.json")));
        StringBuilder streamed = new StringBuilder();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-sonnet-4").addUserMessage("Hello").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }

        assertThat(streamed.toString()).isEqualTo("Hello! I'm doing well, thank you. How can I help you today?");
        upstream.verify(postRequestedFor(urlEqualTo(CONVERSE_STREAM)).withHeader("authorization", matching("AWS4-HMAC-SHA256 .*")));
    }

    @Test
    void toolsImagesAndJsonOutputGoAsConverseTakesThem() {
        upstream.stubFor(post(CONVERSE).willReturn(json(200, Fixtures.text("bedrock/converse-tool-use.json"))));

        HttpResponse<String> tools = gateway.post("/v1/chat/completions", Fixtures.text("bedrock/chat-tools-turns.json"));
        HttpResponse<String> json = gateway.post("/v1/chat/completions", "{\"model\":\"claude-sonnet-4\",\"response_format\":"
                + "{\"type\":\"json_object\"},\"messages\":[{\"role\":\"user\",\"content\":\"A song\"}]}");

        assertThat(new JsonObject(tools.body()).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                .isEqualTo("tool_calls");
        assertThat(new JsonObject(json.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .containsKey("tool_calls")).isTrue();
        upstream.verify(postRequestedFor(urlEqualTo(CONVERSE))
                .withRequestBody(matchingJsonPath("$.messages[0].content[1].image.source.bytes", equalTo("iVBORw0KGgo=")))
                .withRequestBody(matchingJsonPath("$.messages[2].content[0].toolResult.toolUseId",
                        equalTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"))));
        upstream.verify(postRequestedFor(urlEqualTo(CONVERSE))
                .withRequestBody(matchingJsonPath("$.toolConfig.toolChoice.tool.name", equalTo("json_response"))));
    }

    @Test
    void theRoutesEffortIsAThinkingBudgetAndCacheReadsAndWritesArePricedAtTheirOwnPrices() {
        upstream.stubFor(post(CONVERSE).willReturn(json(200, Fixtures.text("bedrock/converse-reasoning.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"27 * 453?\"}]}");

        // 48 uncached at $3, 4000 read at $0.30, 1500 written at $3.75, 120 out at $15, per 1M tokens.
        double expected = (48 * 3.00 + 4000 * 0.30 + 1500 * 3.75 + 120 * 15.00) / 1e6;
        assertThat(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow()))
                .isCloseTo(expected, within(1e-9));
        assertThat(new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("reasoning_content")).startsWith("27 * 453");
        upstream.verify(postRequestedFor(urlEqualTo(CONVERSE))
                .withRequestBody(matchingJsonPath("$.additionalModelRequestFields.thinking.budget_tokens", equalTo("1024"))));
    }

    @Test
    void throttlingIsRetriedThenFallenBackFrom() {
        upstream.stubFor(post(CONVERSE).willReturn(json(429, Fixtures.text("bedrock/error-429-throttling.json"))
                .withHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")));
        upstream.stubFor(post("/openai/v1/chat/completions").willReturn(json(200, Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("gpt-4o-mini");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("claude-sonnet-4=429,claude-sonnet-4=429,gpt-4o-mini=ok");
    }

    @Test
    void aThrottlingExceptionMidStreamEndsTheStreamWithAnErrorEventAndNoDone() {
        upstream.stubFor(post(CONVERSE_STREAM).willReturn(eventStream("bedrock/converse-stream-throttled.json")));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"claude-sonnet-4\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Hello! I'm doing well,").contains("throttlingException").doesNotContain("[DONE]");
    }

    @Test
    void theAnthropicSdkReachesClaudeOnBedrock() {
        upstream.stubFor(post(CONVERSE).willReturn(json(200, Fixtures.text("bedrock/converse-text.json"))));
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("unused").maxRetries(0).build();

        Message message = anthropic.messages().create(MessageCreateParams.builder().model("claude-sonnet-4").maxTokens(100)
                .addUserMessage("Hello").build());

        assertThat(message.content().get(0).text().orElseThrow().text())
                .isEqualTo("Hello! I'm doing well, thank you. How can I help you today?");
        assertThat(message.usage().inputTokens()).isEqualTo(12);
        anthropic.close();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder eventStream(String fixture) {
        byte[] frames = EventStreamFrames.of(fixture);
        return aResponse().withStatus(200).withHeader("content-type", "application/vnd.amazon.eventstream")
                .withBody(frames).withChunkedDribbleDelay(frames.length / 17 + 1, 80);
    }

}
