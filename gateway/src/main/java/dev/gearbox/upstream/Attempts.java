package dev.gearbox.upstream;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Interruption;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request's journey upstream: tries its candidate models in order, retries what the {@link RetryRule}
 * says to retry, and answers with the first good answer.
 *
 * <p>Per model, an open breaker or a full bulkhead moves on to the next candidate at once. Nothing is
 * answered until an answer's first byte is good, so retries and fallbacks are invisible; after that a
 * failure ends a stream with an error. Where it is at any time is one {@link AttemptState}. Confined to the
 * request's event loop; time and timers come from the {@link Scheduler}.
 */
final class Attempts {

    private static final AttemptState IDLE = new AttemptState.Idle();
    private static final AttemptState DONE = new AttemptState.Done();

    private final Exchange exchange;
    private final UpstreamStage.Services services;
    private final Scheduler scheduler;
    private final Request request;
    private final List<ModelConfig> candidates;
    private final long startNanos;
    private final long deadlineMs;
    private final Promise<Answer> promise = Promise.promise();

    private AttemptState state = IDLE;
    private int candidate = -1;
    private Lease lease;
    private ModelTarget target;
    private ResiliencePolicy policy;
    private int attempt;
    private long attemptStartNanos;
    private Failure lastFailure;

    /** @param deadlineMs the routing decision's deadline, or null for the first candidate's total timeout */
    Attempts(Exchange exchange, UpstreamStage.Services services, List<ModelConfig> candidates, Long deadlineMs) {
        this.exchange = exchange;
        this.services = services;
        this.scheduler = services.scheduler();
        this.request = exchange.request();
        this.candidates = candidates;
        // The deadline counts from the request's arrival: time spent waiting for an identical request counts.
        this.startNanos = exchange.startNanos();
        long total = services.deployments().of(candidates.get(0)).policy().totalTimeoutMs();
        this.deadlineMs = deadlineMs == null ? total : Math.min(deadlineMs, total);
    }

    Future<Answer> start() {
        exchange.interrupts().onInterrupt(this::interrupted);
        if (!(state instanceof AttemptState.Done)) {
            nextCandidate();
        }
        return promise.future();
    }

    private void nextCandidate() {
        releaseLease();
        if (candidate >= 0 && remainingMs() <= 0) {
            deadlinePassed();
            return;
        }
        while (++candidate < candidates.size()) {
            ModelConfig model = candidates.get(candidate);
            StringBuilder refusal = new StringBuilder(4);
            Lease acquired = Lease.tryAcquire(services.deployments().of(model), refusal);
            if (acquired == null) {
                exchange.modelPath().step(model.id(), refusal.toString());
                exchange.fallback(model, refusal.toString());
                continue;
            }
            lease = acquired;
            policy = acquired.deployment().policy();
            target = services.providers().target(model);
            attempt = 0;
            send();
            return;
        }
        // Every candidate refused at once (bulkhead full, breaker open): a state that passes, so say when to retry.
        finishWithError(lastFailure != null ? lastFailure.error() : new ApiException(503, "server_error",
                "no_model_available", null, "No model could take the request: " + exchange.modelPath() + ".",
                UpstreamErrors.OVERLOAD_RETRY_AFTER));
    }

    private void send() {
        attempt++;
        attemptStartNanos = scheduler.nanoTime();
        ModelConfig model = target.model();
        exchange.attempt(model, attempt, attemptStartNanos);
        Cancellation call = new Cancellation();
        long firstByteMs = Math.max(1, Math.min(policy.firstByteTimeoutMs(), remainingMs()));
        Reading reading = new Reading(call, firstByteMs);
        state = new AttemptState.Calling(call, scheduler.schedule(firstByteMs, reading::timerFired));
        Translator translator;
        Future<UpstreamResponse> sent;
        try {
            translator = target.provider().translator(request, model);
            sent = target.provider().send(OutboundRequest.of(exchange, target, translator, call));
        } catch (RuntimeException e) {
            // A request the translator cannot express is no model's failure; nothing is held for it.
            ((AttemptState.Calling) state).firstByte().cancel();
            call.cancel();
            finishWithError(e instanceof ApiException api ? api : new ApiException(500, "server_error", "internal_error",
                    null, "The gateway could not build the request for " + model.id() + "."));
            return;
        }
        sent.onComplete(ar -> {
            if (!calling(call)) {
                return;
            }
            if (ar.failed()) {
                fail(call, services.classifier().noResponse(ar.cause()));
            } else {
                services.reader().read(ar.result(), translator, target.providerName(), request.stream(),
                        request.clientWantsUsage(), policy.idleTimeoutMs(), exchange::promptTokens, reading);
            }
        });
    }

    /** Where one attempt's response leads; stale once the attempt has been given up. */
    private final class Reading implements ResponseReader.Outcome, StreamRelay.Listener {
        private final Cancellation call;
        private final long firstByteMs;
        private StreamRelay relay;
        private BodyReader body;

        Reading(Cancellation call, long firstByteMs) {
            this.call = call;
            this.firstByteMs = firstByteMs;
        }

        /**
         * The attempt's one timer: before the head it is the first-byte timeout; while a whole body is read it
         * checks that bytes keep coming and the deadline holds, re-arming itself only when it fires, so an
         * answer that arrives in time costs a single timer.
         */
        void timerFired() {
            if (!calling(call)) {
                return;
            }
            if (body == null) {
                fail(call, services.classifier().firstByteTimeout(target.providerName(), firstByteMs));
                return;
            }
            long left = remainingMs();
            if (left <= 0) {
                deadlinePassed();
                return;
            }
            long idleMs = TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - body.lastNanos());
            if (idleMs >= policy.idleTimeoutMs()) {
                fail(call, services.classifier().bodyStalled(target.providerName(), idleMs));
                return;
            }
            state = new AttemptState.Calling(call, scheduler.schedule(
                    Math.max(1, Math.min(left, policy.idleTimeoutMs() - idleMs)), this::timerFired));
        }

        @Override
        public void reading(BodyReader body) {
            this.body = body;
            call.onCancel(body::stop);
            // The head is upstream's first byte: from now on the body must keep coming, within the deadline.
            if (state instanceof AttemptState.Calling calling) {
                long left = remainingMs();
                if (left < firstByteMs) {
                    calling.firstByte().cancel();
                    state = new AttemptState.Calling(call, scheduler.schedule(Math.max(1, left), this::timerFired));
                }
            }
        }

        @Override
        public void failed(Failure failure) {
            fail(call, failure);
        }

        @Override
        public void whole(WholeAnswer answer, Usage usage) {
            if (!calling(call)) {
                return;
            }
            commit();
            exchange.upstreamDone(scheduler.nanoTime(), usage);
            state = DONE;
            releaseLease();
            promise.complete(answer);
        }

        @Override
        public StreamRelay.Listener streaming() {
            return this;
        }

        @Override
        public void relaying(StreamRelay relay) {
            this.relay = relay;
            call.onCancel(relay::stop);
        }

        @Override
        public void committed(AnswerStream stream) {
            if (!calling(call)) {
                return;
            }
            commit();
            state = new AttemptState.Relaying(relay, call, scheduler.schedule(Math.max(1, remainingMs()), Attempts.this::deadlinePassed));
            promise.complete(stream);
        }

        @Override
        public void failedBeforeCommit(String code, String message) {
            fail(call, services.classifier().stream(target.providerName(), code, message));
        }

        @Override
        public void finished(StreamEnd end, Usage usage) {
            if (!end.complete() && exchange.outcome() == null) {
                exchange.outcome("stream_cut");
            }
            exchange.upstreamDone(scheduler.nanoTime(), usage);
            if (state instanceof AttemptState.Relaying r) {
                r.deadline().cancel();
            }
            state = DONE;
            releaseLease();
            if (!end.complete()) {
                // Whatever cut the stream short, upstream is not to go on generating for nobody.
                call.cancel();
            }
        }
    }

    /** The first good byte is here: record the call's success and whose answer it is. */
    private void commit() {
        ((AttemptState.Calling) state).firstByte().cancel();
        long now = scheduler.nanoTime();
        lease.succeeded(now - attemptStartNanos);
        exchange.modelPath().step(target.model().id(), "ok");
        if (candidate > 0 || attempt > 1) {
            exchange.modelPath().show();
        }
        exchange.answered(target.model(), target.providerName(), now);
    }

    private void fail(Cancellation call, Failure failure) {
        if (!calling(call)) {
            return;
        }
        ((AttemptState.Calling) state).firstByte().cancel();
        call.cancel();
        state = IDLE;
        lastFailure = failure;
        ModelConfig model = target.model();
        lease.failed(scheduler.nanoTime() - attemptStartNanos, failure);
        exchange.modelPath().step(model.id(), failure.code());
        RetryDecision decision = services.retryRule().decide(failure, attempt,
                RetryRule.maxAttempts(policy, exchange.headers()), policy, remainingMs());
        if (decision instanceof RetryDecision.Stop stop) {
            finishWithError(stop.error());
            return;
        }
        if (decision instanceof RetryDecision.Retry retry && lease.retry()) {
            exchange.retry(model, failure.code());
            // Every way out of backing off but this timer cancels it, so when it runs the retry is still due.
            state = new AttemptState.BackingOff(scheduler.schedule(Math.max(1, retry.delayMs()), this::send));
            return;
        }
        exchange.fallback(model, failure.code());
        nextCandidate();
    }

    private void finishWithError(ApiException error) {
        state = DONE;
        releaseLease();
        exchange.modelPath().show();
        promise.tryFail(error);
    }

    private void deadlinePassed() {
        AttemptState now = state;
        String message = "The upstream call did not complete within the deadline of " + deadlineMs + " ms.";
        if (now instanceof AttemptState.Relaying r) {
            r.relay().abort("deadline", message);
            return;
        }
        if (now instanceof AttemptState.Done || !now.stop()) {
            return;
        }
        if (target != null) {
            exchange.modelPath().step(target.model().id(), "deadline");
        }
        finishWithError(new ApiException(504, "server_error", "upstream_timeout", null, message));
    }

    /** The client went away, or the gateway is shutting down: stop, and end a stream with why. */
    private void interrupted() {
        AttemptState now = state;
        Interruption why = exchange.interrupts().why();
        if (now instanceof AttemptState.Relaying r) {
            r.relay().abort(why.error());
            return;
        }
        if (now.stop()) {
            state = DONE;
            releaseLease();
            promise.tryFail(why.error());
        }
    }

    private boolean calling(Cancellation call) {
        return state instanceof AttemptState.Calling c && c.call() == call && !call.isCancelled();
    }

    private void releaseLease() {
        if (lease != null) {
            lease.release();
            lease = null;
        }
    }

    private long remainingMs() {
        return deadlineMs - TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime() - startNanos);
    }
}
