package dev.gearbox.cache;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.CacheOutcome;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Json;
import dev.gearbox.work.Offload;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Answers a request from the cache, waits for an identical one in flight, or passes it on with its answer
 * recorded; a hit is served in the form the client asked for, whole or as a stream.
 *
 * <p>Only deterministic requests ({@code temperature} 0, or a {@code seed}) are cached, unless the route
 * says {@code cache: always} (embeddings always are) or the client sends {@code x-gearbox-cache: force}.
 * {@code Cache-Control: no-cache} skips the lookup and {@code no-store} the storing. Only whole, complete
 * answers are kept.
 */
public final class CacheStage implements Stage {

    public static final String CACHE_HEADER = "x-gearbox-cache";

    private final ResponseCache cache;
    private final Scheduler scheduler;
    private final ToLongFunction<ModelConfig> totalTimeoutMs;
    private final Offload offload;

    private CacheStage(ResponseCache cache, Scheduler scheduler, ToLongFunction<ModelConfig> totalTimeoutMs,
                       Offload offload) {
        this.cache = cache;
        this.scheduler = scheduler;
        this.totalTimeoutMs = totalTimeoutMs;
        this.offload = offload;
    }

    /**
     * @param totalTimeoutMs the most time a request to a model may take, which bounds the wait for an
     *     identical request in flight as it bounds the request's own call
     */
    public static CacheStage of(ResponseCache cache, Scheduler scheduler, ToLongFunction<ModelConfig> totalTimeoutMs) {
        return new CacheStage(cache, scheduler, totalTimeoutMs, Offload.inPlace());
    }

    /** @param offload where the key of a large request, and a large answer kept, are worked out */
    public static CacheStage of(ResponseCache cache, Scheduler scheduler, ToLongFunction<ModelConfig> totalTimeoutMs,
                                Offload offload) {
        return new CacheStage(cache, scheduler, totalTimeoutMs, offload);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        Request request = exchange.request();
        RouteDecision decision = exchange.decision();
        if (!eligible(exchange, request, decision)) {
            exchange.cache(CacheOutcome.BYPASS);
            return next.apply(exchange);
        }
        String control = exchange.headers().get("cache-control");
        control = control == null ? "" : control.toLowerCase(Locale.ROOT);
        boolean lookup = !control.contains("no-cache");
        boolean store = !control.contains("no-store");
        String tenant = exchange.tenant();
        return offload.forSize(request.sizeBytes(),
                        () -> CacheKey.of(tenant, request, decision.model().id()))
                .compose(key -> claimed(exchange, next, cache.claim(key, lookup, store)));
    }

    private Future<Answer> claimed(Exchange exchange, Next next, ResponseCache.Claim claim) {
        if (claim instanceof ResponseCache.Hit hit) {
            return Future.succeededFuture(serve(exchange, hit.answer()));
        }
        if (claim instanceof ResponseCache.Pending pending) {
            return afterPending(exchange, next, pending.answer());
        }
        exchange.cache(CacheOutcome.MISS);
        if (claim instanceof ResponseCache.Lead lead) {
            return lead(exchange, next, lead.slot());
        }
        return next.apply(exchange);
    }

    /**
     * Waits for an identical request's answer, within this request's own deadline and while its client is
     * there; when that request ends without an answer, this one calls upstream itself, in the time left.
     */
    private Future<Answer> afterPending(Exchange exchange, Next next, CompletableFuture<CachedAnswer> pending) {
        Context context = Vertx.currentContext();
        Promise<Answer> promise = Promise.promise();
        RouteDecision decision = exchange.decision();
        long total = totalTimeoutMs.applyAsLong(decision.model());
        long deadlineMs = decision.deadlineMs() == null ? total : Math.min(decision.deadlineMs(), total);
        long leftMs = deadlineMs - TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - exchange.startNanos());
        Scheduler.Scheduled timer = scheduler.schedule(Math.max(1, leftMs), () -> promise.tryFail(new ApiException(504,
                "server_error", "upstream_timeout", null,
                "The upstream call did not complete within the deadline of " + deadlineMs + " ms.")));
        exchange.interrupts().onInterrupt(() -> {
            timer.cancel();
            promise.tryFail(exchange.interrupts().why().error());
        });
        pending.whenComplete((answer, failure) -> context.runOnContext(v -> {
            if (promise.future().isComplete()) {
                return;
            }
            timer.cancel();
            if (answer != null) {
                cache.countSharedHit();
                promise.complete(serve(exchange, answer));
            } else {
                exchange.cache(CacheOutcome.MISS);
                next.apply(exchange).onComplete(promise);
            }
        }));
        return promise.future();
    }

    private Future<Answer> lead(Exchange exchange, Next next, CompletableFuture<CachedAnswer> slot) {
        Future<Answer> answer;
        try {
            answer = next.apply(exchange);
        } catch (RuntimeException e) {
            // Whoever waits on this slot must not wait forever.
            slot.complete(null);
            throw e;
        }
        return answer.map(a -> {
            record(a, cache.recorder(slot, exchange.request().choices()), exchange);
            return a;
        }).onFailure(e -> slot.complete(null));
    }

    private void record(Answer answer, AnswerSink sink, Exchange exchange) {
        if (!exchange.decision().model().id().equals(exchange.answeredModelId())) {
            // A fallback's answer stands in for this once; kept, it would stand in for the routed model all TTL.
            sink.end(false);
            return;
        }
        if (answer instanceof WholeAnswer whole) {
            String model = exchange.model();
            String provider = exchange.provider();
            // The client has its answer already; keeping it is the cache's own work, done off the loop if large.
            offload.forSize(whole.body().length(), () -> {
                sink.answer(Json.answer(whole.body()), whole.body(), model, provider);
                return true;
            }).onComplete(ar -> sink.end(ar.succeeded()));
            return;
        }
        ((AnswerStream) answer).observe(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                sink.event(data.toBuffer(), exchange.model(), exchange.provider());
            }

            @Override
            public void hidden(SseEvent data) {
                event(data);
            }

            @Override
            public void end(StreamEnd end) {
                sink.end(end.complete());
            }
        });
    }

    private boolean eligible(Exchange exchange, Request request, RouteDecision decision) {
        if (!cache.enabled() || decision.cache() == CacheMode.OFF) {
            return false;
        }
        String asked = exchange.headers().get(CACHE_HEADER);
        if (decision.cache() == CacheMode.ALWAYS || "force".equalsIgnoreCase(asked)) {
            return true;
        }
        return request.field("temperature") instanceof Number t && t.doubleValue() == 0
                || request.field("seed") instanceof Number;
    }

    /** Answers from a stored answer: whole as stored, or replayed as a stream. */
    private Answer serve(Exchange exchange, CachedAnswer answer) {
        Usage usage = Usage.fromJson(answer.completion().getValue("usage"));
        exchange.answeredFromCache(answer.model(), answer.provider(), scheduler.nanoTime(),
                usage == null ? Usage.NONE : usage);
        if (!exchange.stream()) {
            return WholeAnswer.of(answer.body(), answer.completion());
        }
        List<Buffer> chunks = StreamReplay.chunks(answer.completion(), exchange.request().clientWantsUsage());
        // Replayed from memory: the events are at hand, so the producer has nothing to pause.
        AnswerStream stream = AnswerStream.of(new AnswerStream.Flow() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        });
        for (Buffer chunk : chunks) {
            stream.emit(new SseEvent(chunk.getBytes(), 0, chunk.length()));
        }
        stream.end(StreamEnd.DONE);
        return stream;
    }
}
