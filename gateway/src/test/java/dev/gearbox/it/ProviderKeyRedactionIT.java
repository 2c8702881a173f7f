package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.gearbox.testing.ErrorShape;
import dev.gearbox.testing.TestGateway;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A provider that quotes the key it was sent, in an error event in the middle of a stream or in an error
 * inside a 200, never gets that key to the client or into the log, whichever inbound API the client speaks
 * and whichever wire format the provider does.
 */
@Timeout(60)
class ProviderKeyRedactionIT {

    /** Not shaped like an OpenAI key, so only the config's own secrets can find it. */
    private static final String GROQ_KEY = "gsk_upstream_secret_0123456789abcdef";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-upstream-secret-0123456789";
    private static final String OPENAI_CHAT = "/openai/v1/chat/completions";
    private static final String ANTHROPIC_MESSAGES = "/anthropic/v1/messages";
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
                  - {id: llama-3, provider: groq, price: {input: 0.15, output: 0.60}}
                  - {id: claude-sonnet-4, provider: anthropic, upstream: claude-sonnet-4-20250514,
                     price: {input: 3.00, output: 15.00}, max_output_tokens: 64000}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                routes:
                  - {name: default, then: {models: [llama-3]}}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  groq: {type: openai, base_url: "http://127.0.0.1:%1$d/openai/v1", api_key: "${GROQ_KEY}"}
                  anthropic: {type: anthropic, base_url: "http://127.0.0.1:%1$d/anthropic/v1", api_key: "${ANTHROPIC_KEY}"}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 1}
                """.formatted(upstream.port(), rules), Map.of("GROQ_KEY", GROQ_KEY, "ANTHROPIC_KEY", ANTHROPIC_KEY));

        upstream.stubFor(post(OPENAI_CHAT).willReturn(sse("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama-3","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}

                data: {"error":{"message":"Incorrect API key provided: %s. You can find your key at console.groq.com.","type":"invalid_request_error","code":"invalid_api_key"}}

                data: [DONE]

                """.formatted(GROQ_KEY))));
        upstream.stubFor(post(ANTHROPIC_MESSAGES).willReturn(sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514","stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: error
                data: {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: %s"}}

                """.formatted(ANTHROPIC_KEY))));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(gateway);
        upstream.stop();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({
            "/v1/chat/completions, llama-3, data: {\"error\"",
            "/v1/chat/completions, claude-sonnet-4, data: {\"error\"",
            "/v1/responses, llama-3, event: response.failed",
            "/v1/responses, claude-sonnet-4, event: response.failed",
            "/v1/messages, llama-3, event: error",
            "/v1/messages, claude-sonnet-4, event: error",
    })
    void anErrorEventMidStreamThatQuotesTheProviderKeyReachesTheClientMasked(String path, String model, String errorEvent) {
        String body = switch (path) {
            case "/v1/responses" -> "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"Hi\"}";
            case "/v1/messages" -> "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":100,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            default -> "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        };

        HttpResponse<String> response = gateway.post(path, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(errorEvent).contains("***");
        assertNoKey(response.body());
    }

    @Test
    void anErrorInsideA200ThatQuotesTheProviderKeyReachesTheClientMasked() {
        upstream.stubFor(post(OPENAI_CHAT).atPriority(1).withRequestBody(containing("error in a 200"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + GROQ_KEY + "\"}}")));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"llama-3\",\"messages\":[{\"role\":\"user\",\"content\":\"error in a 200\"}]}");

        assertThat(ErrorShape.assertError(response, 502, "server_error").getString("message")).contains("***");
        assertNoKey(response.body());
    }

    @Test
    void whatAStreamQuotesReachesNeitherTheClientNorTheLogUnmasked() {
        // Garbage is never relayed, but it is logged (at debug), and a parser's complaint quotes what it read.
        upstream.stubFor(post(OPENAI_CHAT).atPriority(1).withRequestBody(containing("garbage"))
                .willReturn(sse("""
                        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama-3","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                        data: not json, key %s

                        """.formatted(GROQ_KEY))));
        upstream.stubFor(post(ANTHROPIC_MESSAGES).atPriority(1).withRequestBody(containing("garbage"))
                .willReturn(sse("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514","usage":{"input_tokens":12,"output_tokens":1}}}

                        event: content_block_delta
                        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                        event: content_block_delta
                        data: %s

                        """.formatted(ANTHROPIC_KEY))));
        Logger gearbox = (Logger) LoggerFactory.getLogger("dev.gearbox");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Level level = gearbox.getLevel();
        gearbox.setLevel(Level.DEBUG);
        gearbox.addAppender(logged);
        try {
            for (String model : new String[] {"llama-3", "claude-sonnet-4"}) {
                HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"" + model
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"garbage\"}]}");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).as(model).contains("upstream_malformed_stream");
                assertNoKey(response.body());
            }
        } finally {
            gearbox.detachAppender(logged);
            gearbox.setLevel(level);
        }
        assertThat(logged.list).anyMatch(e -> e.getFormattedMessage().contains("not a JSON object"));
        logged.list.forEach(e -> assertNoKey(e.getFormattedMessage()));
    }

    private static void assertNoKey(String text) {
        assertThat(text).doesNotContain(GROQ_KEY).doesNotContain(ANTHROPIC_KEY).doesNotContain("0123456789");
    }

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream; charset=utf-8").withBody(body);
    }
}
