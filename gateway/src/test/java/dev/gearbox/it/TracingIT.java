package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import dev.gearbox.telemetry.MeterNames;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Traces through the real server and the real OTLP exporter: a collector in the test receives
 * OTLP/HTTP, decodes the protobuf and hands over the spans of each request, found by the trace id the
 * test's client sent in {@code traceparent}.
 */
@Timeout(60)
class TracingIT {

    private static final String PRIMARY = "/primary/v1/chat/completions";
    private static final String BACKUP = "/backup/v1/chat/completions";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    static Path rules;
    private static WireMockServer upstream;
    private static Collector collector;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        upstream.stubFor(post(PRIMARY).willReturn(aResponse().withStatus(503).withBody("overloaded")));
        upstream.stubFor(post(BACKUP).willReturn(aResponse().withHeader("content-type", "application/json")
                .withBody(Fixtures.text("openai/chat-completion.json"))));
        collector = Collector.start();
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2) + """
                  - {id: flaky, provider: primary, upstream: flaky-v2}
                  - {id: spare, provider: backup}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: flaky
                    when: {model: flaky}
                    then: {models: [flaky], fallbacks: [spare]}
                  - name: default
                    then: {tier: cheap}
                """);
        gateway = TestGateway.start("""
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 2
                  api_keys:
                    - {key: "${KEY}", tenant: team-a}
                providers:
                  primary: {type: openai, base_url: "http://127.0.0.1:%1$d/primary/v1"}
                  backup: {type: openai, base_url: "http://127.0.0.1:%1$d/backup/v1"}
                  sim: {type: simulated}
                rules: {directory: "%2$s"}
                resilience:
                  defaults: {max_attempts: 2, backoff_initial_ms: 10, backoff_max_ms: 20}
                telemetry:
                  tracing:
                    endpoint: "http://127.0.0.1:%3$d/v1/traces"
                    headers: {x-collector-key: "${COLLECTOR_KEY}"}
                    service_name: gearbox-it
                    export_interval_ms: 50
                """.formatted(upstream.port(), rules, collector.port()),
                Map.of("KEY", "key-a", "COLLECTOR_KEY", "collector-secret"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
        collector.stop();
    }

    @Test
    void aRoutedChatIsOneServerSpanContinuingTheCallersTraceWithOneAttemptUnderIt() {
        Trace caller = Trace.random();

        HttpResponse<String> response = chat(caller, "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        List<Received> spans = collector.trace(caller.traceId, 2);
        Received server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        Received attempt = only(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(server.service).isEqualTo("gearbox-it");
        assertThat(server.parentId()).isEqualTo(caller.spanId);
        assertThat(server.span.getName()).isEqualTo("chat auto");
        assertThat(server.attributes).containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.request.model", "auto")
                .containsEntry("gen_ai.response.model", "sim-cheap")
                .containsEntry("gen_ai.provider.name", "sim")
                .containsEntry("http.request.method", "POST")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gearbox.route", response.headers().firstValue("x-gearbox-route").orElseThrow())
                .containsEntry("gearbox.tier", "cheap")
                .containsEntry("gearbox.tenant", "team-a")
                .containsEntry("gearbox.stream", false)
                .containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gearbox.cost_usd",
                        "gearbox.savings_usd");
        assertThat((Long) server.attributes.get("gen_ai.usage.output_tokens")).isPositive();
        assertThat(server.span.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        // The prompt stays out of spans unless prompt logging is on.
        assertThat(server.attributes).doesNotContainKey("gen_ai.input.messages");
        assertThat(server.attributes.values()).noneMatch(v -> String.valueOf(v).contains("hi there"));
        assertThat(attempt.parentId()).isEqualTo(server.spanId());
        assertThat(attempt.span.getName()).isEqualTo("chat sim-cheap");
        assertThat(attempt.attributes).containsEntry("gen_ai.request.model", "sim-cheap")
                .containsEntry("gen_ai.provider.name", "sim")
                .containsEntry("gearbox.attempt", 1L)
                .containsEntry("gearbox.outcome", "ok")
                .doesNotContainKey("server.address");
        assertThat(attempt.events()).contains("gearbox.first_token");
        assertThat(server.events()).contains("gearbox.first_token");
        assertThat(attempt.span.getStartTimeUnixNano()).isBetween(server.span.getStartTimeUnixNano(),
                server.span.getEndTimeUnixNano());
        assertThat(collector.headers).contains("collector-secret");
    }

    @Test
    void aStreamsSpansCarryItsFirstTokenAndTokens() {
        Trace caller = Trace.random();

        HttpResponse<String> response = chat(caller, "{\"model\":\"auto\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"stream it\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("[DONE]");
        List<Received> spans = collector.trace(caller.traceId, 2);
        Received server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        Received attempt = only(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(server.attributes).containsEntry("gearbox.stream", true)
                .containsEntry("gen_ai.response.model", "sim-cheap")
                .containsKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");
        assertThat(server.events()).contains("gearbox.first_token");
        assertThat(attempt.parentId()).isEqualTo(server.spanId());
        assertThat(attempt.attributes).containsEntry("gearbox.outcome", "ok")
                .containsKeys("gen_ai.usage.output_tokens");
    }

    @Test
    void aRetryThenFallbackIsOneAttemptSpanPerCallEachOfWhoseContextsWentUpstream() {
        Trace caller = Trace.random();
        upstream.resetRequests();

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"flaky\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "traceparent", caller.header(), "tracestate", "vendor=abc", "authorization", "Bearer key-a");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValue("flaky=503,flaky=503,spare=ok");
        List<Received> spans = collector.trace(caller.traceId, 4);
        Received server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        List<Received> attempts = spans.stream().filter(s -> s.span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                .sorted((a, b) -> Long.compare(a.span.getStartTimeUnixNano(), b.span.getStartTimeUnixNano())).toList();
        assertThat(attempts).hasSize(3).allMatch(a -> a.parentId().equals(server.spanId()));
        assertThat(attempts).extracting(a -> a.attributes.get("gen_ai.request.model"))
                .containsExactly("flaky-v2", "flaky-v2", "spare");
        assertThat(attempts).extracting(a -> a.attributes.get("gearbox.attempt")).containsExactly(1L, 2L, 1L);
        assertThat(attempts).extracting(a -> a.attributes.get("gearbox.outcome")).containsExactly("503", "503", "ok");
        assertThat(attempts.get(0).span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attempts.get(2).span.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attempts).allSatisfy(a -> assertThat(a.attributes).containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", (long) upstream.port()));
        assertThat(attempts.get(2).attributes).containsEntry("gen_ai.response.model", "spare")
                .containsEntry("gen_ai.usage.input_tokens", 14L).containsEntry("gen_ai.usage.output_tokens", 8L);
        assertThat(server.events()).containsSubsequence("gearbox.retry", "gearbox.fallback", "gearbox.first_token");
        assertThat(server.attributes).containsEntry("gearbox.fallbacks", "flaky=503,flaky=503,spare=ok")
                .containsEntry("gearbox.route", "flaky")
                .containsEntry("gen_ai.response.model", "spare")
                .containsEntry("gen_ai.provider.name", "backup");

        // Each upstream call carried its own attempt's context, in the caller's trace.
        List<String> sent = upstream.findAll(postRequestedFor(urlEqualTo(PRIMARY))).stream()
                .map(TracingIT::traceparent).collect(Collectors.toList());
        sent.addAll(upstream.findAll(postRequestedFor(urlEqualTo(BACKUP))).stream().map(TracingIT::traceparent).toList());
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo(BACKUP)))).extracting(r -> r.getHeader("tracestate"))
                .containsExactly("vendor=abc");
        assertThat(server.span.getTraceState()).isEqualTo("vendor=abc");
        assertThat(sent).containsExactly(attempts.stream().map(a -> "00-" + caller.traceId + "-" + a.spanId() + "-01")
                .toArray(String[]::new));
    }

    @Test
    void aCacheHitIsAServerSpanWithoutAttempts() {
        String body = "{\"model\":\"auto\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"cache me "
                + System.nanoTime() + "\"}]}";
        Trace first = Trace.random();
        Trace second = Trace.random();

        assertThat(chat(first, body).headers().firstValue("x-gearbox-cache")).hasValue("miss");
        HttpResponse<String> hit = chat(second, body);

        assertThat(hit.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        List<Received> spans = collector.trace(second.traceId, 1);
        Received server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.attributes).containsEntry("gearbox.cache", "hit")
                .containsEntry("gen_ai.response.model", "sim-cheap")
                .containsEntry("http.response.status_code", 200L);
        assertThat(collector.trace(first.traceId, 2)).filteredOn(s -> s.span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .singleElement().satisfies(s -> assertThat(s.attributes).containsEntry("gearbox.cache", "miss"));
        // A hit sends nothing upstream: no attempt spans ever arrive for its trace.
        chat(Trace.random(), "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"later\"}]}");
        assertThat(collector.spansOf(second.traceId)).hasSize(1);
    }

    @Test
    void aRefusedRequestIsAServerSpanWithItsStatusAndTheAccessLogCarriesItsTraceId() {
        Trace caller = Trace.random();
        Logger access = (Logger) LoggerFactory.getLogger("gearbox.access");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Level level = access.getLevel();
        // Access lines are off in tests; this one is wanted, in the list only.
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(logged);
        HttpResponse<String> response;
        try {
            response = gateway.post("/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[]}",
                    "traceparent", caller.header(), "authorization", "Bearer wrong");
            Eventually.await(WAIT, "the access log line", () -> !logged.list.isEmpty());
        } finally {
            access.detachAppender(logged);
            access.setAdditive(true);
            access.setLevel(level);
        }

        assertThat(response.statusCode()).isEqualTo(401);
        Received server = only(collector.trace(caller.traceId, 1), Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.span.getName()).isEqualTo("chat");
        assertThat(server.parentId()).isEqualTo(caller.spanId);
        assertThat(server.attributes).containsEntry("http.response.status_code", 401L)
                .containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gearbox.outcome", "client_error");
        // A refusal is the client's error, not the server's.
        assertThat(server.span.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        JsonObject line = new JsonObject(logged.list.get(0).getFormattedMessage());
        assertThat(line.getString("trace_id")).isEqualTo(caller.traceId);
    }

    @Test
    void aRequestWithoutTraceContextStartsATraceAndRequestsBesideTheApiAreNotTraced() {
        // Spans leave in the order they end: once the chat's has arrived, a span of the health check would have.
        gateway.get("/health");
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"new trace " + System.nanoTime() + "\"}]}",
                "authorization", "Bearer key-a", "x-request-id", "trace-me-" + System.nanoTime());
        String requestId = response.headers().firstValue("x-request-id").orElseThrow();

        Eventually.await(WAIT, "the request's span", () -> collector.received().stream()
                .anyMatch(s -> requestId.equals(s.attributes.get("gearbox.request_id"))));
        Received server = collector.received().stream().filter(s -> requestId.equals(s.attributes.get("gearbox.request_id")))
                .findFirst().orElseThrow();
        assertThat(server.span.getParentSpanId().isEmpty()).isTrue();
        assertThat(collector.received()).noneMatch(s -> "/health".equals(s.attributes.get("url.path")));
    }

    @Test
    void anUnreachableCollectorChangesNothingForClientsAndTheLostSpansAreCounted() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        // One batch for all three requests: each failed export is retried for seconds before it counts.
        try (TestGateway lonely = TestGateway.start(TestGateway.simulatedConfig("") + """
                telemetry:
                  tracing: {endpoint: "http://127.0.0.1:%d/v1/traces", export_interval_ms: 1000}
                """.formatted(closed))) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = lonely.post("/v1/chat/completions",
                        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"anyone?\"}]}");
                assertThat(response.statusCode()).isEqualTo(200);
            }
            Eventually.await(Duration.ofSeconds(40), "the failed exports counted", () -> lonely.gearbox().meters()
                    .counter(MeterNames.TRACE_SPANS_DROPPED, MeterNames.TAG_REASON, "export_failed").count() >= 6);
            assertThat(lonely.gearbox().meters().counter(MeterNames.TRACE_SPANS_EXPORTED).count()).isZero();
        }
    }

    private static HttpResponse<String> chat(Trace caller, String body) {
        return gateway.post("/v1/chat/completions", body, "traceparent", caller.header(), "authorization", "Bearer key-a");
    }

    private static String traceparent(LoggedRequest request) {
        return request.getHeader("traceparent");
    }

    private static Received only(List<Received> spans, Span.SpanKind kind) {
        List<Received> of = spans.stream().filter(s -> s.span.getKind() == kind).toList();
        assertThat(of).as(kind + " spans").hasSize(1);
        return of.get(0);
    }

    /** A caller's trace context. */
    private record Trace(String traceId, String spanId) {
        static Trace random() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return new Trace(HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong()),
                    HEX.toHexDigits(random.nextLong()));
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    /** One span as the collector received it, with its attributes decoded. */
    private record Received(Span span, String service, Map<String, Object> attributes) {
        String spanId() {
            return HEX.formatHex(span.getSpanId().toByteArray());
        }

        String traceId() {
            return HEX.formatHex(span.getTraceId().toByteArray());
        }

        String parentId() {
            return HEX.formatHex(span.getParentSpanId().toByteArray());
        }

        List<String> events() {
            return span.getEventsList().stream().map(Span.Event::getName).toList();
        }
    }

    /** An OTLP/HTTP traces endpoint on loopback that keeps what it is sent. */
    private static final class Collector {
        private final HttpServer server;
        private final ConcurrentLinkedQueue<Received> spans = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> headers = new ConcurrentLinkedQueue<>();

        private Collector(HttpServer server) {
            this.server = server;
        }

        static Collector start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Collector collector = new Collector(server);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    collector.accept(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
                    String key = exchange.getRequestHeaders().getFirst("x-collector-key");
                    if (key != null) {
                        collector.headers.add(key);
                    }
                    byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                } catch (IOException | RuntimeException e) {
                    exchange.sendResponseHeaders(400, -1);
                    exchange.close();
                }
            });
            server.start();
            return collector;
        }

        private void accept(ExportTraceServiceRequest request) {
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = attributes(resource.getResource().getAttributesList()).get("service.name").toString();
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.add(new Received(span, service, attributes(span.getAttributesList())));
                    }
                }
            }
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Received> received() {
            return List.copyOf(spans);
        }

        List<Received> spansOf(String traceId) {
            return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
        }

        /** The spans of a trace, once {@code count} of them have arrived. */
        List<Received> trace(String traceId, int count) {
            Eventually.await(WAIT, count + " spans of trace " + traceId, () -> spansOf(traceId).size() >= count);
            return spansOf(traceId);
        }

        void stop() {
            server.stop(0);
        }

        private static Map<String, Object> attributes(List<KeyValue> list) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (KeyValue kv : list) {
                AnyValue v = kv.getValue();
                out.put(kv.getKey(), switch (v.getValueCase()) {
                    case STRING_VALUE -> v.getStringValue();
                    case INT_VALUE -> v.getIntValue();
                    case DOUBLE_VALUE -> v.getDoubleValue();
                    case BOOL_VALUE -> v.getBoolValue();
                    default -> v.toString();
                });
            }
            return out;
        }
    }
}
