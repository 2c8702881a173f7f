package dev.gearbox.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.wire.ChatRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's spans for exchanges driven by hand, caught by the SDK's in-memory exporter. */
class TracingListenerTest {

    private static final ModelConfig PRIMARY = ModelConfig.of("primary", "p");
    private static final ModelConfig SPARE = ModelConfig.of("spare", "q");
    private static final String BODY = """
            {"model":"auto","messages":[{"role":"user","content":"what is the secret?"}]}""";

    private InMemorySpanExporter exported;
    private SdkTracerProvider provider;

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void thePromptGoesIntoTheSpanOnlyWhenPromptLoggingIsOn() {
        for (boolean logPrompts : List.of(false, true)) {
            Exchange exchange = routed(listener(Sampler.alwaysOn(), logPrompts), MultiMap.caseInsensitiveMultiMap());
            exchange.promptText("what is the secret?");
            exchange.finish(200, System.nanoTime());

            String messages = server().getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
            if (logPrompts) {
                assertThat(messages).contains("\"role\":\"user\"").contains("what is the secret?");
            } else {
                assertThat(messages).isNull();
            }
        }
    }

    @Test
    void anOpenBreakerIsARefusalEventWithoutAnAttemptSpan() {
        Exchange exchange = routed(listener(Sampler.alwaysOn(), false), MultiMap.caseInsensitiveMultiMap());
        exchange.fallback(PRIMARY, "open");
        exchange.attempt(SPARE, 1, System.nanoTime());
        exchange.answered(SPARE, "q", System.nanoTime());
        exchange.finish(200, System.nanoTime());

        SpanData server = server();
        EventData refused = server.getEvents().stream().filter(e -> e.getName().equals("gearbox.refused")).findFirst()
                .orElseThrow();
        assertThat(refused.getAttributes().get(AttributeKey.stringKey("gearbox.model"))).isEqualTo("primary");
        assertThat(refused.getAttributes().get(AttributeKey.stringKey("gearbox.reason"))).isEqualTo("open");
        assertThat(clients()).singleElement().satisfies(attempt -> {
            assertThat(attempt.getName()).isEqualTo("chat spare");
            assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gearbox.outcome"))).isEqualTo("ok");
        });
    }

    @Test
    void aCutStreamMarksTheRequestAndItsAttemptAsFailed() {
        Exchange exchange = routed(listener(Sampler.alwaysOn(), false), MultiMap.caseInsensitiveMultiMap());
        exchange.attempt(PRIMARY, 1, System.nanoTime());
        exchange.answered(PRIMARY, "p", System.nanoTime());
        exchange.outcome("stream_cut");
        exchange.finish(200, System.nanoTime());

        assertThat(server().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(clients()).singleElement().satisfies(attempt -> {
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("gearbox.outcome"))).isEqualTo("stream_cut");
        });
    }

    @Test
    void aTraceSampledOutExportsNothingYetHasATraceIdAndTellsUpstreamNotToSample() {
        Exchange exchange = routed(listener(Sampler.parentBased(Sampler.traceIdRatioBased(0)), false),
                MultiMap.caseInsensitiveMultiMap());
        exchange.attempt(PRIMARY, 1, System.nanoTime());
        exchange.finish(502, System.nanoTime());

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        String traceId = exchange.attribute(AccessLogListener.TRACE_ID);
        assertThat(traceId).hasSize(32);
        String traceparent = exchange.upstreamHeaders().get("traceparent");
        assertThat(traceparent).startsWith("00-" + traceId + "-");
        int flags = Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16);
        assertThat(flags & 1).as("the sampled flag").isZero();
    }

    @Test
    void aCallersSampledTraceIsKeptWhateverTheRatio() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        Exchange exchange = routed(listener(Sampler.parentBased(Sampler.traceIdRatioBased(0)), false), headers);
        exchange.finish(200, System.nanoTime());

        assertThat(server().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(server().getParentSpanId()).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void requestsBesideTheApiAreNotTraced() {
        TracingListener listener = listener(Sampler.alwaysOn(), false);
        Exchange health = Exchange.begin("req", "GET", "/health", null, System.nanoTime(), listener);
        health.finish(200, System.nanoTime());

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(health.attribute(AccessLogListener.TRACE_ID)).isNull();
    }

    private TracingListener listener(Sampler sampler, boolean logPrompts) {
        if (provider != null) {
            provider.close();
        }
        // Closing a provider stops its exporter, so each gets its own.
        exported = InMemorySpanExporter.create();
        provider = SdkTracerProvider.builder().setSampler(sampler)
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
        return TracingListener.create(provider.get("test"), W3CTraceContextPropagator.getInstance(), logPrompts, Map.of());
    }

    private static Exchange routed(TracingListener listener, MultiMap headers) {
        Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", headers, System.nanoTime(), listener);
        exchange.request(ChatRequest.parse(Buffer.buffer(BODY)));
        exchange.routed(new RouteDecision("default", PRIMARY, List.of(SPARE), 0.0, null, CacheMode.OFF, null, "test"), null);
        return exchange;
    }

    private SpanData server() {
        return exported.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    }

    private List<SpanData> clients() {
        return exported.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    }
}
