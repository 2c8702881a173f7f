package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: upstreams that fail in every way the issue lists, and what the client sees. Each test
 * uses its own model, so one test's breaker cannot affect another's.
 */
@Timeout(30)
class ResilienceIT {

    private static final String PRIMARY = "/primary/v1/chat/completions";
    private static final String BACKUP = "/backup/v1/chat/completions";
    private static final int TEST_MODELS = 10;

    @TempDir
    static Path rules;
    private static WireMockServer upstream;
    private static Vertx vertx;
    private static HttpServer streams;
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        upstream.stubFor(post(BACKUP).withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(sse(Fixtures.text("openai/chat-completion-stream.sse"))).atPriority(1));
        upstream.stubFor(post(BACKUP).willReturn(json(Fixtures.text("openai/chat-completion.json"))).atPriority(2));
        vertx = Vertx.vertx();
        streams = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject request = new JsonObject(body);
            var res = req.response();
            if (!Boolean.TRUE.equals(request.getValue("stream"))) {
                res.putHeader("content-type", "application/json").end(Fixtures.text("openai/chat-completion.json"));
                return;
            }
            res.setChunked(true).putHeader("content-type", "text/event-stream");
            switch (request.getString("model")) {
                case "stall" -> res.write(chunk("one") + chunk(" two") + chunk(" three"));
                case "early-fail" -> {
                    res.write(": connected\n\n");
                    vertx.setTimer(20, t -> req.connection().close());
                }
                default -> res.write(chunk("held"));
            }
        })).listen(0, "127.0.0.1").await();

        String models = IntStream.rangeClosed(1, TEST_MODELS).mapToObj(i -> "  - {id: t" + i + ", provider: primary}")
                .collect(Collectors.joining("\n"));
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2) + models + """

                  - {id: solo, provider: primary}
                  - {id: spare, provider: backup}
                  - {id: stall, provider: ctl}
                  - {id: early-fail, provider: ctl}
                  - {id: narrow, provider: ctl}
                """);
        String routes = IntStream.rangeClosed(1, TEST_MODELS).mapToObj(i ->
                "  - name: r" + i + "\n    when: {model: t" + i + "}\n    then: {models: [t" + i + "], fallbacks: [spare]}")
                .collect(Collectors.joining("\n"));
        Files.writeString(rules.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n" + routes + """

                  - name: streams
                    when: {model: [stall, early-fail, narrow]}
                    then: {models: [stall, early-fail, narrow], fallbacks: [spare]}
                  - name: default
                    then: {tier: cheap}
                """.replace("then: {models: [stall, early-fail, narrow], fallbacks: [spare]}",
                "then: {models: [stall], fallbacks: [spare]}"));
        // One route per streaming model, so each falls back to spare alone.
        String text = Files.readString(rules.resolve("routes.yaml")).replace("""
                  - name: streams
                    when: {model: [stall, early-fail, narrow]}
                    then: {models: [stall], fallbacks: [spare]}
                """, """
                  - name: stall
                    when: {model: stall}
                    then: {models: [stall], fallbacks: [spare]}
                  - name: early-fail
                    when: {model: early-fail}
                    then: {models: [early-fail], fallbacks: [spare]}
                  - name: narrow
                    when: {model: narrow}
                    then: {models: [narrow], fallbacks: [spare]}
                """);
        Files.writeString(rules.resolve("routes.yaml"), text);

        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  primary: {type: openai, base_url: "http://127.0.0.1:%1$d/primary/v1"}
                  backup: {type: openai, base_url: "http://127.0.0.1:%1$d/backup/v1"}
                  ctl: {type: openai, base_url: "http://127.0.0.1:%2$d/v1"}
                  sim: {type: simulated}
                rules: {directory: "%3$s"}
                resilience:
                  defaults:
                    first_byte_timeout_ms: 800
                    idle_timeout_ms: 400
                    total_timeout_ms: 8000
                    max_attempts: 2
                    backoff_initial_ms: 20
                    backoff_max_ms: 100
                    breaker_window: 4
                    breaker_minimum_calls: 4
                    breaker_failure_rate: 50
                    breaker_open_ms: 60000
                    breaker_half_open_calls: 1
                  models:
                    narrow: {max_concurrent: 1}
                """.formatted(upstream.port(), streams.actualPort(), rules), Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
        upstream.stop();
    }

    @Test
    void retriesOnceAfter503ThenSucceeds() {
        upstream.stubFor(primary("t1").inScenario("t1").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("overloaded")).willSetStateTo("recovered"));
        upstream.stubFor(primary("t1").inScenario("t1").whenScenarioStateIs("recovered")
                .willReturn(json(Fixtures.text("openai/chat-completion.json"))));

        HttpResponse<String> response = chat("t1", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("t1=503,t1=ok");
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("t1");
        upstream.verify(2, postRequestedFor(urlEqualTo(PRIMARY)).withRequestBody(matchingJsonPath("$.model", equalTo("t1"))));
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOn429() {
        upstream.stubFor(primary("t2").inScenario("t2").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "1")
                        .withBody(Fixtures.text("openai/error-429-rate-limit.json"))).willSetStateTo("calm"));
        upstream.stubFor(primary("t2").inScenario("t2").whenScenarioStateIs("calm")
                .willReturn(json(Fixtures.text("openai/chat-completion.json"))));

        long start = System.nanoTime();
        HttpResponse<String> response = chat("t2", false);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("t2=429,t2=ok");
        assertThat(elapsedMs).isBetween(950L, 5_000L);
    }

    @Test
    void fallsBackWhenThePrimaryAlwaysFailsThenItsBreakerOpensUntilHalfOpen() {
        upstream.stubFor(primary("t3").willReturn(aResponse().withStatus(500).withBody("boom")));

        HttpResponse<String> first = chat("t3", false);
        HttpResponse<String> second = chat("t3", false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-gearbox-fallbacks")).hasValue("t3=500,t3=500,spare=ok");
        assertThat(first.headers().firstValue("x-gearbox-model")).hasValue("spare");
        assertThat(second.headers().firstValue("x-gearbox-model")).hasValue("spare");
        assertThat(calls("t3")).isEqualTo(4);

        HttpResponse<String> whileOpen = chat("t3", false);
        assertThat(whileOpen.headers().firstValue("x-gearbox-fallbacks")).hasValue("t3=open,spare=ok");
        assertThat(calls("t3")).isEqualTo(4);

        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> probe = chat("t3", false);
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(calls("t3")).isEqualTo(5);
    }

    @Test
    void fallsBackOnAConnectionResetWithoutLoggingItAsAnError() {
        upstream.stubFor(primary("t4").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);

        HttpResponse<String> response;
        try {
            response = chat("t4", false);
        } finally {
            root.detachAppender(logged);
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("t4=connect,t4=connect,spare=ok");
        // The reset is handled: retried, fallen back from and counted; it is no error of the gateway's.
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.ERROR);
    }

    @Test
    void fallsBackWithinTheDeadlineWhenUpstreamNeverAnswers() {
        upstream.stubFor(primary("t5").willReturn(json(Fixtures.text("openai/chat-completion.json")).withFixedDelay(10_000)));

        long start = System.nanoTime();
        HttpResponse<String> response = chat("t5", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("t5=timeout,t5=timeout,spare=ok");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }

    @Test
    void fallsBackOnAMalformedBodyAndOnAWrongContentType() {
        upstream.stubFor(primary("t6").willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"id\": \"chatcmpl-1\", \"choices\": [")));
        upstream.stubFor(primary("t7").willReturn(aResponse().withStatus(200).withHeader("content-type", "text/html")
                .withBody("<html>maintenance</html>")));

        HttpResponse<String> malformed = chat("t6", false);
        HttpResponse<String> mistyped = chat("t7", false);

        assertThat(malformed.headers().firstValue("x-gearbox-fallbacks")).hasValue("t6=malformed,t6=malformed,spare=ok");
        assertThat(mistyped.headers().firstValue("x-gearbox-fallbacks"))
                .hasValue("t7=wrong_content_type,t7=wrong_content_type,spare=ok");
        assertThat(new JsonObject(malformed.body()).getString("id")).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    }

    @Test
    void withNoFallbackTheClientGets502Or504InOpenAiShapeWithinTheDeadline() {
        upstream.stubFor(primary("solo").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertError(chat("solo", false), 502, "server_error");

        upstream.stubFor(primary("solo").willReturn(json("{}").withFixedDelay(10_000)));
        long start = System.nanoTime();
        JsonObject error = assertError(chat("solo", false), 504, "server_error");
        assertThat(error.getString("code")).isEqualTo("upstream_timeout");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
    }

    @Test
    void a400FromUpstreamIsRelayedAndNotRetried() {
        upstream.stubFor(primary("t8").willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                .withBody(Fixtures.text("openai/error-400-bad-tool.json"))));

        JsonObject error = assertError(chat("t8", false), 400, "invalid_request_error");

        assertThat(error.getString("code")).isEqualTo("invalid_function_parameters");
        assertThat(calls("t8")).isEqualTo(1);
        upstream.verify(0, postRequestedFor(urlEqualTo(BACKUP)).withRequestBody(matchingJsonPath("$.messages[0].content",
                equalTo("t8 question"))));
    }

    @Test
    void aStreamThatStallsAfterThreeChunksEndsWithAnErrorEventWithinTheIdleTimeout() {
        long start = System.nanoTime();
        HttpResponse<String> response = chat("stall", true);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith(chunk("one") + chunk(" two") + chunk(" three")).doesNotContain("[DONE]");
        String last = response.body().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(new JsonObject(last.substring(6)).getJsonObject("error").getString("code")).isEqualTo("upstream_idle_timeout");
        assertThat(elapsedMs).isLessThan(3_000);
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunkFallsBackToOneCleanStream() {
        HttpResponse<String> response = chat("early-fail", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("early-fail=reset,early-fail=reset,spare=ok");
        assertThat(response.body()).isEqualTo(Fixtures.text("openai/chat-completion-stream.sse")
                .replace(usageLine(Fixtures.text("openai/chat-completion-stream.sse")), ""));
    }

    @Test
    void aFullBulkheadSendsTheExcessOnAndADisconnectFreesItsPlace() throws Exception {
        try (Socket held = openStream("narrow")) {
            HttpResponse<String> excess = chat("narrow", false);
            assertThat(excess.headers().firstValue("x-gearbox-fallbacks")).hasValue("narrow=busy,spare=ok");
        }
        // The disconnect reaches the gateway asynchronously; once it has, narrow takes requests again.
        dev.gearbox.testing.Eventually.await(Duration.ofSeconds(5), "the bulkhead place is freed",
                () -> chat("narrow", false).headers().firstValue("x-gearbox-model").orElse("").equals("narrow"));
    }

    private static Socket openStream(String model) throws Exception {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        String body = request(model, true);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("held")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("stream ended: " + seen);
            }
            seen.append((char) b);
        }
        return socket;
    }

    private static HttpResponse<String> chat(String model, boolean stream) {
        return gateway.post("/v1/chat/completions", request(model, stream));
    }

    private static String request(String model, boolean stream) {
        return new JsonObject().put("model", model).put("stream", stream)
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
                        .put("content", model + " question"))).encode();
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder primary(String model) {
        return post(urlEqualTo(PRIMARY)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    private static int calls(String model) {
        return upstream.findAll(postRequestedFor(urlEqualTo(PRIMARY)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))).size();
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body);
    }

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream").withBody(body);
    }

    private static String chunk(String content) {
        return "data: " + new JsonObject().put("id", "c").put("object", "chat.completion.chunk")
                .put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", content)).putNull("finish_reason"))).encode() + "\n\n";
    }

    private static String usageLine(String sse) {
        return sse.lines().filter(l -> l.contains("\"choices\":[]")).findFirst().orElseThrow() + "\n\n";
    }
}
