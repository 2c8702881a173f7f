package dev.gearbox.telemetry;

import static dev.gearbox.telemetry.SpanAttributes.*;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.wire.Operation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns each chat or embeddings request into spans, named and attributed as OpenTelemetry's GenAI
 * semantic conventions say: one SERVER span for the request, continuing the caller's W3C trace context,
 * and one CLIENT span per upstream attempt as its child, whose context the attempt's call carries
 * upstream. Retries, fallbacks, breaker refusals and the first token are events. Other requests (health,
 * metrics, admin) are not traced.
 *
 * <p>The spans of a request live on its exchange; the trace id is also kept as a plain string for the
 * access log. Prompts go into spans only when prompt logging is on, and answers never. Called on the
 * request's event loop; ending a span only queues it.
 */
public final class TracingListener implements ExchangeListener {

    private static final Attribute<Spans> SPANS = Attribute.of("spans");

    private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean logPrompts;
    private final Map<String, URI> addresses;
    // Exchange times are on System.nanoTime's scale (the gateway's scheduler); spans want the epoch.
    private final long epochAnchorNanos;
    private final long nanoAnchor;

    private TracingListener(Tracer tracer, TextMapPropagator propagator, boolean logPrompts, Map<String, URI> addresses) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.logPrompts = logPrompts;
        this.addresses = Map.copyOf(addresses);
        Instant now = Instant.now();
        this.nanoAnchor = System.nanoTime();
        this.epochAnchorNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /**
     * @param logPrompts whether the last user message may go into the request's span
     * @param addresses where each provider is reached, by name; providers without one (simulated) are absent
     */
    public static TracingListener create(Tracer tracer, TextMapPropagator propagator, boolean logPrompts,
                                         Map<String, URI> addresses) {
        return new TracingListener(tracer, propagator, logPrompts, addresses);
    }

    /** What is open of one request's trace. */
    private static final class Spans {
        final Span server;
        Span attempt;
        ModelConfig attemptModel;
        String attemptOutcome;

        Spans(Span server) {
            this.server = server;
        }
    }

    @Override
    public void routed(Exchange exchange) {
        spans(exchange);
    }

    @Override
    public void attempt(Exchange exchange, ModelConfig model, int number) {
        Spans spans = spans(exchange);
        if (spans == null) {
            return;
        }
        endAttempt(spans, exchange.timings().attemptStartNanos());
        String operation = operation(exchange);
        SpanBuilder builder = tracer.spanBuilder(operation + " " + model.upstream())
                .setParent(Context.root().with(spans.server))
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(epoch(exchange.timings().attemptStartNanos()), TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(REQUEST_MODEL, model.upstream())
                .setAttribute(PROVIDER_NAME, model.provider())
                .setAttribute(MODEL, model.id())
                .setAttribute(ATTEMPT, (long) number);
        URI address = addresses.get(model.provider());
        if (address != null) {
            boolean https = "https".equals(address.getScheme());
            builder.setAttribute(SERVER_ADDRESS, address.getHost())
                    .setAttribute(SERVER_PORT, (long) (address.getPort() > 0 ? address.getPort() : https ? 443 : 80));
        }
        Span span = builder.startSpan();
        spans.attempt = span;
        spans.attemptModel = model;
        spans.attemptOutcome = null;
        // The call that is about to leave carries this attempt's context, so upstream's spans hang under it.
        propagator.inject(Context.root().with(span), exchange.upstreamHeaders(), MultiMap::set);
    }

    @Override
    public void retry(Exchange exchange, ModelConfig model, String reason) {
        Spans spans = exchange.attribute(SPANS);
        if (spans == null) {
            return;
        }
        spans.attemptOutcome = reason;
        endAttempt(spans, System.nanoTime());
        spans.server.addEvent("gearbox.retry", Attributes.of(MODEL, model.id(), REASON, reason));
    }

    @Override
    public void fallback(Exchange exchange, ModelConfig model, String reason) {
        Spans spans = exchange.attribute(SPANS);
        if (spans == null) {
            return;
        }
        // An open breaker or a full bulkhead refuses before any call; otherwise the attempt failed.
        boolean refused = "open".equals(reason) || "busy".equals(reason);
        if (!refused && spans.attempt != null) {
            spans.attemptOutcome = reason;
            endAttempt(spans, System.nanoTime());
        }
        spans.server.addEvent(refused ? "gearbox.refused" : "gearbox.fallback", Attributes.of(MODEL, model.id(), REASON, reason));
    }

    @Override
    public void firstByte(Exchange exchange) {
        Spans spans = exchange.attribute(SPANS);
        if (spans == null) {
            return;
        }
        long at = epoch(exchange.timings().firstByteNanos());
        spans.server.addEvent("gearbox.first_token", at, TimeUnit.NANOSECONDS);
        if (spans.attempt != null) {
            spans.attemptOutcome = "ok";
            spans.attempt.addEvent("gearbox.first_token", at, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void finished(Exchange exchange) {
        Spans spans = spans(exchange);
        if (spans == null) {
            return;
        }
        if (spans.attempt != null) {
            finishAttempt(exchange, spans);
        }
        Span server = spans.server;
        if (server.isRecording()) {
            describe(exchange, server);
        }
        server.end(epoch(exchange.endNanos()), TimeUnit.NANOSECONDS);
    }

    /** The request's spans, its server span started on the first event that sees a traced request. */
    private Spans spans(Exchange exchange) {
        Spans spans = exchange.attribute(SPANS);
        if (spans != null) {
            return spans;
        }
        String operation = operation(exchange);
        if (operation == null) {
            return null;
        }
        Context parent = propagator.extract(Context.root(), exchange.headers(), HEADERS);
        String requested = exchange.requestedModel();
        SpanBuilder builder = tracer.spanBuilder(requested == null ? operation : operation + " " + requested)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(epoch(exchange.startNanos()), TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(HTTP_METHOD, exchange.method())
                .setAttribute(HTTP_ROUTE, exchange.path())
                .setAttribute(URL_PATH, exchange.path())
                .setAttribute(REQUEST_ID, exchange.requestId());
        spans = new Spans(builder.startSpan());
        exchange.attribute(SPANS, spans);
        exchange.attribute(AccessLogListener.TRACE_ID, spans.server.getSpanContext().getTraceId());
        return spans;
    }

    /** Everything the exchange knows at its end, on the request's span. */
    private void describe(Exchange exchange, Span server) {
        int status = exchange.status();
        String requested = exchange.requestedModel();
        if (requested != null) {
            server.updateName(operation(exchange) + " " + requested);
            server.setAttribute(REQUEST_MODEL, requested);
        }
        server.setAttribute(HTTP_STATUS, (long) status);
        server.setAttribute(STREAM, exchange.stream());
        server.setAttribute(TENANT, exchange.tenant());
        set(server, RESPONSE_MODEL, exchange.answeredModelId());
        set(server, PROVIDER_NAME, exchange.provider());
        set(server, ROUTE, exchange.route());
        set(server, TIER, exchange.tier());
        set(server, CACHE, exchange.cache() == null ? null : exchange.cache().wireName());
        set(server, FALLBACKS, exchange.fallbacks());
        String outcome = MetricsListener.outcome(exchange, status);
        server.setAttribute(OUTCOME, outcome);
        usage(server, exchange.usage());
        Cost cost = exchange.cost();
        if (cost != null) {
            server.setAttribute(COST, cost.usd());
            server.setAttribute(SAVINGS, cost.savingsUsd());
        }
        if (logPrompts && exchange.promptText() != null) {
            server.setAttribute(INPUT_MESSAGES, new JsonArray().add(new JsonObject().put("role", "user")
                    .put("parts", new JsonArray().add(new JsonObject().put("type", "text")
                            .put("content", exchange.promptText())))).encode());
        }
        if (failed(status, exchange.outcome())) {
            server.setAttribute(ERROR_TYPE, status >= 500 ? String.valueOf(status) : outcome);
            server.setStatus(StatusCode.ERROR, outcome);
        }
    }

    /** The attempt still open at the end: the answering one, or one the request ended during. */
    private void finishAttempt(Exchange exchange, Spans spans) {
        Span attempt = spans.attempt;
        boolean answered = "ok".equals(spans.attemptOutcome);
        if (attempt.isRecording()) {
            if (answered) {
                attempt.setAttribute(RESPONSE_MODEL, spans.attemptModel.upstream());
                usage(attempt, exchange.usage());
                if (exchange.outcome() != null) {
                    spans.attemptOutcome = exchange.outcome();
                }
            } else if (spans.attemptOutcome == null) {
                spans.attemptOutcome = exchange.outcome() != null ? exchange.outcome()
                        : MetricsListener.outcome(exchange, exchange.status());
            }
        }
        long end = answered && exchange.timings().upstreamDoneNanos() > 0 ? exchange.timings().upstreamDoneNanos() : exchange.endNanos();
        endAttempt(spans, end);
    }

    private void endAttempt(Spans spans, long nanos) {
        Span attempt = spans.attempt;
        if (attempt == null) {
            return;
        }
        String outcome = spans.attemptOutcome == null ? "abandoned" : spans.attemptOutcome;
        if (attempt.isRecording()) {
            attempt.setAttribute(OUTCOME, outcome);
            if (!"ok".equals(outcome)) {
                attempt.setAttribute(ERROR_TYPE, outcome);
                attempt.setStatus(StatusCode.ERROR, outcome);
            }
        }
        attempt.end(epoch(nanos), TimeUnit.NANOSECONDS);
        spans.attempt = null;
        spans.attemptModel = null;
        spans.attemptOutcome = null;
    }

    private static void usage(Span span, Usage usage) {
        if (usage != null) {
            span.setAttribute(INPUT_TOKENS, usage.promptTokens());
            span.setAttribute(OUTPUT_TOKENS, usage.completionTokens());
        }
    }

    private static boolean failed(int status, String outcome) {
        return status >= 500 || "stream_cut".equals(outcome);
    }

    /** The GenAI operation of a request, from its body or, when it was refused unread, its path; null if none. */
    static String operation(Exchange exchange) {
        if (exchange.request() != null) {
            return exchange.request().operation() == Operation.EMBEDDINGS ? "embeddings" : "chat";
        }
        String path = exchange.path();
        if (path == null) {
            return null;
        }
        if (path.endsWith("/chat/completions")) {
            return "chat";
        }
        return path.endsWith("/embeddings") ? "embeddings" : null;
    }

    private static <T> void set(Span span, AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    private long epoch(long nanos) {
        return epochAnchorNanos + (nanos - nanoAnchor);
    }
}
