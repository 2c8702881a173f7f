package dev.gearbox.api;

import dev.gearbox.cache.AnswerSink;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.CostCalculator;
import dev.gearbox.cost.Usage;
import dev.gearbox.cost.UsageEstimator;
import dev.gearbox.metrics.MeterNames;
import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Operation;
import dev.gearbox.providers.ProviderException;
import dev.gearbox.providers.UpstreamBody;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.resilience.Backoff;
import dev.gearbox.resilience.Deployment;
import io.vertx.core.Vertx;
import io.vertx.core.Timer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One client request's journey upstream: tries its candidate models in order, retries retryable failures
 * with backoff, and relays the first good answer to the client.
 *
 * <p>Per model deployment, an open circuit breaker or a full bulkhead moves on to the next candidate at
 * once; a retryable failure (connection error, timeout before the first byte, 429, 5xx, a malformed or
 * mistyped body, a stream that fails before its first chunk) is retried while attempts and the retry
 * budget last, honouring {@code Retry-After}, and then falls back. A 400 or 422 is the request's fault:
 * relayed, never retried. Nothing reaches the client until an answer's first byte is good, so retries and
 * fallbacks are invisible; after that a failure ends a stream with an error event. The path taken is in
 * {@code x-gearbox-fallbacks}. Confined to the request's event loop.
 */
final class UpstreamExchange {

    static final String MODEL_HEADER = "x-gearbox-model";
    static final String PROVIDER_HEADER = "x-gearbox-provider";
    static final String FALLBACKS_HEADER = "x-gearbox-fallbacks";
    static final String COST_HEADER = "x-gearbox-cost-usd";
    private static final byte[] USAGE = JsonPeek.field("usage");

    /**
     * Why an attempt failed, and what may follow it.
     *
     * @param code what the path header shows, such as {@code 503} or {@code timeout}
     * @param retryable whether the same model may be tried again
     * @param countsAgainstModel whether the breaker counts it as the model's failure
     * @param terminal whether it is the request's own fault, so no other model is tried
     * @param retryAfterMs what upstream asked to wait, or -1
     * @param error what the client sees if nothing else answers
     */
    private record Failure(String code, boolean retryable, boolean countsAgainstModel, boolean terminal, long retryAfterMs,
                           ApiException error) {

        static Failure retryable(String code, ApiException error) {
            return new Failure(code, true, true, false, -1, error);
        }
    }

    private final RoutingContext rc;
    private final RequestContext ctx;
    private final ModelConfig baseline;
    private final AnswerSink sink;
    private boolean sinkEnded;
    private final Vertx vertx;
    private final UpstreamServices services;
    private final Operation operation;
    private final List<ModelConfig> candidates;
    private final Function<ModelConfig, UpstreamBody> bodyFor;
    private final boolean stream;
    private final boolean clientWantsUsage;
    private final long startNanos = System.nanoTime();
    private final StringBuilder path = new StringBuilder();
    private final long deadlineMs;

    private int candidate = -1;
    private Deployment deployment;
    private ModelTarget target;
    private int attempt;
    private Cancellation attemptCancel;
    private long attemptStartNanos;
    // Vert.x Timer objects rather than timer ids: they cancel the scheduled task directly, without the
    // id-to-timer map setTimer/cancelTimer keep, which profiled at 2-3% of the event loop.
    private Timer attemptTimer;
    private Timer deadlineTimer;
    private boolean holdsBulkhead;
    private boolean outcomeRecorded;
    private StreamRelay relay;
    private boolean committed;
    private boolean done;
    private Failure lastFailure;

    /**
     * @param candidates the models to try, in order: the routing decision's choice, then its fallbacks
     * @param bodyFor the upstream body for a model; called once per attempt
     * @param deadlineMs the routing decision's deadline, or null for the first candidate's total timeout
     * @param baseline the model savings are counted against, or null
     * @param sink hears the answer as it passes, to cache it; null when it is not kept
     */
    UpstreamExchange(RoutingContext rc, UpstreamServices services, Operation operation, List<ModelConfig> candidates,
                     Function<ModelConfig, UpstreamBody> bodyFor, boolean stream, boolean clientWantsUsage, Long deadlineMs,
                     ModelConfig baseline, AnswerSink sink) {
        this.rc = rc;
        this.ctx = RequestContext.of(rc);
        this.baseline = baseline;
        this.sink = sink;
        this.vertx = rc.vertx();
        this.services = services;
        this.operation = operation;
        this.candidates = candidates;
        this.bodyFor = bodyFor;
        this.stream = stream;
        this.clientWantsUsage = clientWantsUsage;
        long total = services.deployments().of(candidates.get(0)).policy().totalTimeoutMs();
        this.deadlineMs = deadlineMs == null ? total : Math.min(deadlineMs, total);
    }

    void start() {
        ctx.stream(stream);
        rc.response().closeHandler(v -> onClientGone());
        // Until the first byte the attempt's timer also keeps the deadline; only a committed stream needs its own.
        nextCandidate();
    }

    private void nextCandidate() {
        releaseDeployment();
        if (!done && candidate >= 0 && remainingMs() <= 0) {
            deadlinePassed();
            return;
        }
        while (!done && ++candidate < candidates.size()) {
            ModelConfig model = candidates.get(candidate);
            Deployment d = services.deployments().of(model);
            if (!d.breaker().tryAcquirePermission()) {
                note(model, "open");
                count(MeterNames.FALLBACKS, model, "open");
                continue;
            }
            if (!d.bulkhead().tryAcquirePermission()) {
                d.breaker().releasePermission();
                note(model, "busy");
                count(MeterNames.FALLBACKS, model, "busy");
                continue;
            }
            deployment = d;
            holdsBulkhead = true;
            outcomeRecorded = false;
            target = services.providers().target(model);
            d.retries().onRequest();
            attempt = 0;
            sendAttempt();
            return;
        }
        if (!done) {
            giveUp();
        }
    }

    private void sendAttempt() {
        attempt++;
        attemptStartNanos = System.nanoTime();
        ctx.upstreamSent(attemptStartNanos);
        attemptCancel = new Cancellation();
        Cancellation mine = attemptCancel;
        long remaining = remainingMs();
        long firstByteMs = Math.min(deployment.policy().firstByteTimeoutMs(), remaining);
        attemptTimer = vertx.timer(Math.max(1, firstByteMs), TimeUnit.MILLISECONDS);
        attemptTimer.onSuccess(v -> onFailure(mine, Failure.retryable("timeout", new ApiException(504, "server_error",
                "upstream_timeout", null, "The upstream provider " + target.providerName()
                + " sent no first byte within " + firstByteMs + " ms."))));
        UpstreamRequest request = new UpstreamRequest(operation, target.model(), bodyFor.apply(target.model()), stream,
                ctx.requestId(), mine);
        target.provider().send(request).onComplete(ar -> {
            if (mine.isCancelled() || done) {
                return;
            }
            if (ar.failed()) {
                onFailure(mine, failureOf(ar.cause()));
            } else {
                onResponse(mine, ar.result());
            }
        });
    }

    private void onResponse(Cancellation mine, UpstreamResponse response) {
        int status = response.status();
        if (status < 200 || status > 299) {
            response.body().onComplete(body -> {
                if (mine.isCancelled() || done) {
                    return;
                }
                String retryAfter = response.headers().get("retry-after");
                ApiException error = body.succeeded()
                        ? services.errors().of(target.providerName(), status, retryAfter, body.result())
                        : services.errors().of(body.cause());
                boolean retryable = status == 429 || status >= 500;
                // A 400 or 422 is the request's own fault: no other model would answer differently.
                boolean requestFault = status == 400 || status == 422;
                onFailure(mine, new Failure(String.valueOf(status), retryable, !requestFault && status != 429, requestFault,
                        Backoff.retryAfterMs(retryAfter, services.clock()), error));
            });
            return;
        }
        if (stream) {
            if (!response.isEventStream()) {
                response.body();
                onFailure(mine, protocolFailure("wrong_content_type", "answered a stream with " + response.headers().get("content-type")));
                return;
            }
            relay = new StreamRelay(vertx, rc.response(), response.stream(), clientWantsUsage,
                    deployment.policy().idleTimeoutMs(), new StreamListener(mine));
            relay.start();
            return;
        }
        String type = response.headers().get("content-type");
        response.body().onComplete(body -> {
            if (mine.isCancelled() || done) {
                return;
            }
            if (body.failed()) {
                onFailure(mine, failureOf(body.cause()));
                return;
            }
            if (type == null || !type.contains("json")) {
                onFailure(mine, protocolFailure("wrong_content_type", "answered with content type " + type));
                return;
            }
            // The body goes to the client as it came; only its usage block is parsed, unless the cache keeps it.
            byte[] bytes = body.result().getBytes();
            if (!JsonPeek.isObject(bytes)) {
                onFailure(mine, protocolFailure("malformed", "answered with a body that is not a JSON object"));
                return;
            }
            JsonObject answer;
            Usage usage;
            try {
                answer = sink != null ? new JsonObject(body.result()) : null;
                byte[] usageBytes = answer == null ? JsonPeek.objectField(bytes, USAGE) : null;
                usage = Usage.fromJson(answer != null ? answer.getValue("usage")
                        : usageBytes == null ? null : new JsonObject(Buffer.buffer(usageBytes)));
                if (usage == null) {
                    answer = answer != null ? answer : new JsonObject(body.result());
                    StringBuilder text = new StringBuilder();
                    UsageEstimator.appendGeneratedText(answer, text);
                    usage = UsageEstimator.estimate(ctx.promptTokens(), text.toString());
                }
            } catch (RuntimeException e) {
                onFailure(mine, protocolFailure("malformed", "answered with a body that is not a JSON object"));
                return;
            }
            ctx.upstreamDone(System.nanoTime());
            commit();
            priced(usage);
            if (sink != null) {
                sink.answer(answer, body.result(), target.model().id(), target.providerName());
            }
            rc.response().putHeader("content-type", type).end(body.result());
            succeeded(true);
        });
    }

    /** Hears one attempt's stream; stale once the attempt has been given up. */
    private final class StreamListener implements StreamRelay.Listener {
        private final Cancellation mine;

        StreamListener(Cancellation mine) {
            this.mine = mine;
        }

        @Override
        public void commit() {
            UpstreamExchange.this.commit();
            deadlineTimer = vertx.timer(Math.max(1, remainingMs()), TimeUnit.MILLISECONDS);
            deadlineTimer.onSuccess(v -> deadlinePassed());
            rc.response().setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache")
                    .putHeader("x-accel-buffering", "no");
        }

        @Override
        public void event(SseEvent data) {
            if (sink != null) {
                sink.event(data.toBuffer(), target.model().id(), target.providerName());
            }
        }

        @Override
        public void failedBeforeCommit(String code, String message) {
            onFailure(mine, Failure.retryable(code, new ApiException(502, "server_error", "upstream_" + code, null,
                    "The upstream provider " + target.providerName() + " failed: " + message)));
        }

        @Override
        public void finished(boolean complete, JsonObject reported) {
            ctx.upstreamDone(System.nanoTime());
            Usage usage = Usage.fromJson(reported);
            // A cut stream's reported usage, if any, is partial too; what reached the client is what counts.
            priced(usage != null && complete ? usage : UsageEstimator.estimate(ctx.promptTokens(), relay.generatedText()));
            if (!complete) {
                ctx.outcome("stream_cut");
            }
            succeeded(complete);
        }
    }

    /** The first good byte is here: record the call's success and set the response head. */
    private void commit() {
        committed = true;
        cancelAttemptTimer();
        long elapsed = System.nanoTime() - attemptStartNanos;
        if (!outcomeRecorded) {
            outcomeRecorded = true;
            deployment.breaker().onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
        note(target.model(), "ok");
        HttpServerResponse out = rc.response();
        out.putHeader(MODEL_HEADER, target.model().id()).putHeader(PROVIDER_HEADER, target.providerName());
        if (candidate > 0 || attempt > 1) {
            out.putHeader(FALLBACKS_HEADER, path.toString());
            ctx.fallbacks(path.toString());
        }
        ctx.answeredBy(target.model().id(), target.providerName());
        ctx.firstByte(System.nanoTime());
    }

    private void priced(Usage usage) {
        Cost cost = CostCalculator.cost(target.model(), baseline, usage);
        ctx.priced(usage, cost);
        if (!rc.response().headWritten()) {
            rc.response().putHeader(COST_HEADER, BigDecimal.valueOf(cost.usd()).toPlainString());
        }
    }

    private void succeeded(boolean complete) {
        if (done) {
            return;
        }
        done = true;
        endSink(complete);
        cancelTimers();
        if (complete && services.latency() != null) {
            long now = System.nanoTime();
            long firstByte = ctx.firstByteNanos();
            services.latency().record(target.model(), (firstByte - attemptStartNanos) / 1e6, (now - attemptStartNanos) / 1e6);
        }
        releaseDeployment();
    }

    private void onFailure(Cancellation mine, Failure failure) {
        if (mine.isCancelled() || done || committed) {
            return;
        }
        mine.cancel();
        cancelAttemptTimer();
        lastFailure = failure;
        if (failure.countsAgainstModel() && !outcomeRecorded) {
            outcomeRecorded = true;
            deployment.breaker().onError(System.nanoTime() - attemptStartNanos, TimeUnit.NANOSECONDS,
                    new ProviderException(ProviderException.Kind.PROTOCOL, target.providerName(), failure.code(), null));
        }
        note(target.model(), failure.code());
        if (failure.terminal()) {
            finishWithError(failure.error());
            return;
        }
        if (failure.retryable() && attempt < deployment.policy().maxAttempts()) {
            long delay = Backoff.delayMs(deployment.policy(), attempt, failure.retryAfterMs(), services.random());
            if (delay < remainingMs() && deployment.retries().tryRetry() && deployment.breaker().tryAcquirePermission()) {
                outcomeRecorded = false;
                count(MeterNames.RETRIES, target.model(), failure.code());
                Timer backoff = vertx.timer(Math.max(1, delay), TimeUnit.MILLISECONDS);
                attemptTimer = backoff;
                backoff.onSuccess(v -> {
                    if (attemptTimer == backoff) {
                        attemptTimer = null;
                    }
                    if (!done) {
                        sendAttempt();
                    }
                });
                return;
            }
        }
        count(MeterNames.FALLBACKS, target.model(), failure.code());
        nextCandidate();
    }

    private void giveUp() {
        ApiException error = lastFailure != null ? lastFailure.error()
                : new ApiException(503, "server_error", "no_model_available", null,
                "No model could take the request: " + path + ".");
        finishWithError(error);
    }

    private void finishWithError(ApiException error) {
        done = true;
        endSink(false);
        cancelTimers();
        releaseDeployment();
        if (path.length() > 0) {
            ctx.fallbacks(path.toString());
            if (!rc.response().headWritten()) {
                rc.response().putHeader(FALLBACKS_HEADER, path.toString());
            }
        }
        rc.fail(error);
    }

    private void deadlinePassed() {
        deadlineTimer = null;
        if (done) {
            return;
        }
        String message = "The upstream call did not complete within the deadline of " + deadlineMs + " ms.";
        if (committed && relay != null) {
            relay.abort("deadline", message);
            attemptCancel.cancel();
            return;
        }
        if (attemptCancel != null) {
            attemptCancel.cancel();
        }
        if (target != null) {
            note(target.model(), "deadline");
        }
        finishWithError(new ApiException(504, "server_error", "upstream_timeout", null, message));
    }

    private void onClientGone() {
        // On HTTP/2 the stream closes as the response ends, which is no disconnect.
        if (done || rc.response().ended()) {
            return;
        }
        done = true;
        ctx.outcome("cancelled");
        endSink(false);
        cancelTimers();
        if (attemptCancel != null) {
            attemptCancel.cancel();
        }
        releaseDeployment();
    }

    private void endSink(boolean complete) {
        if (sink != null && !sinkEnded) {
            sinkEnded = true;
            sink.end(complete);
        }
    }

    private void releaseDeployment() {
        if (deployment != null && holdsBulkhead) {
            holdsBulkhead = false;
            deployment.bulkhead().onComplete();
            if (!outcomeRecorded) {
                outcomeRecorded = true;
                deployment.breaker().releasePermission();
            }
        }
    }

    private Failure failureOf(Throwable cause) {
        ApiException error = services.errors().of(cause);
        String code = cause instanceof ProviderException pe && pe.kind() == ProviderException.Kind.TIMEOUT ? "timeout" : "connect";
        return Failure.retryable(code, error);
    }

    private Failure protocolFailure(String code, String what) {
        return Failure.retryable(code, new ApiException(502, "server_error", "upstream_" + code, null,
                "The upstream provider " + target.providerName() + " " + what + "."));
    }

    private void note(ModelConfig model, String outcome) {
        if (path.length() > 0) {
            path.append(',');
        }
        path.append(model.id()).append('=').append(outcome);
    }

    private void count(String meter, ModelConfig model, String reason) {
        services.meters().counter(meter, MeterNames.TAG_MODEL, model.id(), MeterNames.TAG_REASON, reason).increment();
    }

    private long remainingMs() {
        return deadlineMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private void cancelAttemptTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel();
            attemptTimer = null;
        }
    }

    private void cancelTimers() {
        cancelAttemptTimer();
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
            deadlineTimer = null;
        }
    }
}
