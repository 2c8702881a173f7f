package dev.gearbox.api;

import dev.gearbox.cache.AnswerSink;
import dev.gearbox.cache.CacheKey;
import dev.gearbox.cache.CachedAnswer;
import dev.gearbox.cache.ResponseCache;
import dev.gearbox.cache.StreamReplay;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.CostCalculator;
import dev.gearbox.cost.Usage;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RouteDecision;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Decides whether a chat request is answered from the cache, waits for an identical one in flight, or
 * goes upstream with its answer recorded; and serves hits in the form the client asked for.
 *
 * <p>Only deterministic requests ({@code temperature} 0, or a {@code seed}) are cached, unless the route
 * says {@code cache: always} or the client sends {@code x-gearbox-cache: force}. {@code Cache-Control:
 * no-cache} skips the lookup and {@code no-store} the storing.
 */
final class CacheGate {

    static final String CACHE_HEADER = "x-gearbox-cache";

    private final ResponseCache cache;

    CacheGate(ResponseCache cache) {
        this.cache = cache;
    }

    /**
     * @param upstream sends the request upstream, with a sink for its answer or null
     */
    void handle(RoutingContext rc, ChatRequest request, RouteDecision decision, ModelConfig baseline,
                Consumer<AnswerSink> upstream) {
        RequestContext ctx = RequestContext.of(rc);
        HttpServerResponse out = rc.response();
        if (!eligible(rc, request, decision)) {
            ctx.cache("bypass");
            out.putHeader(CACHE_HEADER, "bypass");
            upstream.accept(null);
            return;
        }
        String control = rc.request().getHeader("cache-control");
        control = control == null ? "" : control.toLowerCase(Locale.ROOT);
        boolean lookup = !control.contains("no-cache");
        boolean store = !control.contains("no-store");
        CacheKey key = CacheKey.of(ctx.tenant(), decision.model().id(), request.body());
        ResponseCache.Claim claim = cache.claim(key, lookup, store);
        if (claim instanceof ResponseCache.Hit hit) {
            serve(rc, request, hit.answer(), baseline);
        } else if (claim instanceof ResponseCache.Pending pending) {
            Context context = Vertx.currentContext();
            pending.answer().whenComplete((answer, failure) -> context.runOnContext(v -> {
                if (out.closed()) {
                    return;
                }
                if (answer != null) {
                    cache.countSharedHit();
                    serve(rc, request, answer, baseline);
                } else {
                    miss(ctx, out);
                    upstream.accept(null);
                }
            }));
        } else if (claim instanceof ResponseCache.Lead lead) {
            miss(ctx, out);
            try {
                Object n = request.body().getValue("n");
                upstream.accept(cache.recorder(lead.slot(), n instanceof Number count ? count.intValue() : 1));
            } catch (RuntimeException e) {
                // Whoever waits on this slot must not wait forever.
                lead.slot().complete(null);
                throw e;
            }
        } else {
            miss(ctx, out);
            upstream.accept(null);
        }
    }

    private boolean eligible(RoutingContext rc, ChatRequest request, RouteDecision decision) {
        if (!cache.enabled() || decision.cache() == CacheMode.OFF) {
            return false;
        }
        String asked = rc.request().getHeader(CACHE_HEADER);
        if (decision.cache() == CacheMode.ALWAYS || "force".equalsIgnoreCase(asked)) {
            return true;
        }
        JsonObject body = request.body();
        return body.getValue("temperature") instanceof Number t && t.doubleValue() == 0
                || body.getValue("seed") instanceof Number;
    }

    private static void miss(RequestContext ctx, HttpServerResponse out) {
        ctx.cache("miss");
        out.putHeader(CACHE_HEADER, "miss");
    }

    /** Answers from a stored completion: JSON as stored, or replayed as an SSE stream. */
    private static void serve(RoutingContext rc, ChatRequest request, CachedAnswer answer, ModelConfig baseline) {
        RequestContext ctx = RequestContext.of(rc);
        Usage usage = Usage.fromJson(answer.completion().getValue("usage"));
        usage = usage == null ? Usage.NONE : usage;
        ctx.cache("hit");
        ctx.answeredBy(answer.model(), answer.provider());
        ctx.stream(request.stream());
        ctx.firstByte(System.nanoTime());
        ctx.priced(usage, CostCalculator.cacheHit(baseline, usage));
        HttpServerResponse out = rc.response()
                .putHeader(CACHE_HEADER, "hit")
                .putHeader(UpstreamExchange.MODEL_HEADER, answer.model())
                .putHeader(UpstreamExchange.PROVIDER_HEADER, answer.provider())
                .putHeader(UpstreamExchange.COST_HEADER, "0");
        if (request.stream()) {
            out.putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
                    .end(StreamReplay.events(answer.completion(), request.clientWantsUsage()));
        } else {
            out.putHeader("content-type", "application/json").end(answer.body());
        }
    }
}
