package dev.gearbox.telemetry;

import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code gearbox.access} logger: who, which route and model, tokens,
 * cost, cache, fallbacks, status and durations. Prompt text only when switched on.
 */
public final class AccessLogListener implements ExchangeListener {

    private static final Logger log = LoggerFactory.getLogger("gearbox.access");

    /**
     * The id of the request's trace, kept by whichever listener traces; a plain string, so the access log
     * needs no tracing library. That listener must come before this one.
     */
    public static final Attribute<String> TRACE_ID = Attribute.of("trace_id");

    private final Clock clock;

    public AccessLogListener(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void finished(Exchange ctx) {
        int status = ctx.status();
        long endNanos = ctx.endNanos();
        if (!log.isInfoEnabled()) {
            return;
        }
        JsonObject line = new JsonObject()
                .put("ts", clock.instant().toString())
                .put("request_id", ctx.requestId())
                .put("method", ctx.method())
                .put("path", ctx.path())
                .put("status", status)
                .put("outcome", MetricsListener.outcome(ctx, status))
                .put("tenant", ctx.tenant())
                .put("key_id", ctx.caller().keyId())
                .put("requested_model", ctx.requestedModel())
                .put("route", ctx.route())
                .put("tier", ctx.tier())
                .put("model", ctx.model())
                .put("provider", ctx.provider())
                .put("stream", ctx.stream())
                .put("cache", ctx.cache() == null ? null : ctx.cache().wireName())
                .put("fallbacks", ctx.fallbacks())
                .put("duration_ms", millis(endNanos - ctx.startNanos()));
        String traceId = ctx.attribute(TRACE_ID);
        if (traceId != null) {
            line.put("trace_id", traceId);
        }
        if (ctx.timings().firstByteNanos() > 0) {
            line.put("first_byte_ms", millis(ctx.timings().firstByteNanos() - ctx.startNanos()));
        }
        long overhead = MetricsListener.overheadNanos(ctx, endNanos);
        if (overhead >= 0) {
            line.put("overhead_ms", millis(overhead));
        }
        Usage usage = ctx.usage();
        if (usage != null) {
            line.put("prompt_tokens", usage.promptTokens()).put("cached_tokens", usage.cachedPromptTokens())
                    .put("completion_tokens", usage.completionTokens()).put("reasoning_tokens", usage.reasoningTokens())
                    .put("usage_estimated", usage.estimated());
        }
        Cost cost = ctx.cost();
        if (cost != null) {
            line.put("cost_usd", cost.usd()).put("baseline_usd", cost.baselineUsd()).put("savings_usd", cost.savingsUsd());
        }
        if (ctx.promptText() != null) {
            line.put("prompt", ctx.promptText());
        }
        log.info(line.encode());
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
