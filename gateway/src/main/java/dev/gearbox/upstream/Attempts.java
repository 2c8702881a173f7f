package dev.gearbox.upstream;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.cost.Usage;
import dev.gearbox.cost.UsageEstimator;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request's journey upstream: tries its candidate models in order, retries what the {@link RetryRule}
 * says to retry, and answers with the first good answer.
 *
 * <p>Per model, an open breaker or a full bulkhead moves on to the next candidate at once. Nothing is
 * answered until an answer's first byte is good, so retries and fallbacks are invisible; after that a
 * failure ends a stream with an error. Where it is at any time is one {@link State}. Confined to the
 * request's event loop; time and timers come from the {@link Scheduler}.
 */
final class Attempts {

    private sealed interface State permits Idle, Calling, BackingOff, Relaying, Done {
    }

    /** Between candidates. */
    private record Idle() implements State {
    }

    /** A call is out and nothing is committed; {@code firstByte} fails it if upstream is too slow. */
    private record Calling(Cancellation call, Scheduler.Scheduled firstByte) implements State {
    }

    /** Waiting to try the same model again. */
    private record BackingOff(Scheduler.Scheduled timer) implements State {
    }

    /** A committed stream is being relayed until it ends or the deadline passes. */
    private record Relaying(StreamRelay relay, Cancellation call, Scheduler.Scheduled deadline) implements State {
    }

    /** The answer (or the error) has been handed up, and the stream, if any, is over. */
    private record Done() implements State {
    }

    private static final State IDLE = new Idle();
    private static final State DONE = new Done();

    private final Exchange exchange;
    private final UpstreamStage.Services services;
    private final Scheduler scheduler;
    private final Request request;
    private final List<ModelConfig> candidates;
    private final long startNanos;
    private final long deadlineMs;
    private final Promise<Answer> promise = Promise.promise();

    private State state = IDLE;
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
        this.startNanos = scheduler.nanoTime();
        long total = services.deployments().of(candidates.get(0)).policy().totalTimeoutMs();
        this.deadlineMs = deadlineMs == null ? total : Math.min(deadlineMs, total);
    }

    Future<Answer> start() {
        exchange.onCancel(this::clientGone);
        nextCandidate();
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
                exchange.step(model.id(), refusal.toString());
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
        giveUp();
    }

    private void send() {
        attempt++;
        attemptStartNanos = scheduler.nanoTime();
        ModelConfig model = target.model();
        exchange.attempt(model, attempt, attemptStartNanos);
        Cancellation call = new Cancellation();
        long firstByteMs = Math.max(1, Math.min(policy.firstByteTimeoutMs(), remainingMs()));
        Scheduler.Scheduled timer = scheduler.schedule(firstByteMs,
                () -> fail(call, services.classifier().firstByteTimeout(target.providerName(), firstByteMs)));
        state = new Calling(call, timer);
        Translator translator = target.provider().translator(request.operation(), model);
        UpstreamRequest upstream = new UpstreamRequest(request.operation(), model, translator.request(request, model),
                request.stream(), exchange.requestId(), call);
        target.provider().send(upstream).onComplete(ar -> {
            if (!calling(call)) {
                return;
            }
            if (ar.failed()) {
                fail(call, services.classifier().noResponse(ar.cause()));
            } else {
                onResponse(call, translator, ar.result());
            }
        });
    }

    private void onResponse(Cancellation call, Translator translator, UpstreamResponse response) {
        int status = response.status();
        String provider = target.providerName();
        if (status < 200 || status > 299) {
            String retryAfter = response.headers().get("retry-after");
            response.body().onComplete(body -> {
                if (calling(call)) {
                    fail(call, body.succeeded()
                            ? services.classifier().status(provider, status, retryAfter, translator.error(status, body.result()))
                            : services.classifier().unreadableStatus(status, retryAfter, body.cause()));
                }
            });
            return;
        }
        if (request.stream()) {
            if (!response.isEventStream()) {
                response.body();
                fail(call, services.classifier().protocol(provider, "wrong_content_type",
                        "answered a stream with " + response.headers().get("content-type")));
                return;
            }
            RelayListener listener = new RelayListener(call);
            StreamRelay relay = new StreamRelay(scheduler, response.stream(), translator, request.clientWantsUsage(),
                    policy.idleTimeoutMs(), listener);
            listener.relay = relay;
            call.onCancel(relay::stop);
            relay.start();
            return;
        }
        String type = response.headers().get("content-type");
        response.body().onComplete(body -> {
            if (!calling(call)) {
                return;
            }
            if (body.failed()) {
                fail(call, services.classifier().noResponse(body.cause()));
                return;
            }
            TranslatedAnswer translated;
            WholeAnswer answer;
            Usage usage;
            try {
                translated = translator.answer(body.result(), type);
                answer = WholeAnswer.of(translated.body(), translated.contentType());
                usage = translated.usage() != null ? translated.usage() : estimate(answer);
            } catch (NotAnAnswer e) {
                fail(call, services.classifier().protocol(provider, e.code(), e.getMessage()));
                return;
            } catch (RuntimeException e) {
                fail(call, services.classifier().protocol(provider, "malformed", "answered with a body that is not a JSON object"));
                return;
            }
            commit(call);
            exchange.upstreamDone(scheduler.nanoTime(), usage);
            state = DONE;
            releaseLease();
            promise.complete(answer);
        });
    }

    private Usage estimate(WholeAnswer answer) {
        StringBuilder text = new StringBuilder();
        UsageEstimator.appendGeneratedText(answer.json(), text);
        return UsageEstimator.estimate(exchange.promptTokens(), text.toString());
    }

    /** Hears one attempt's stream; stale once the attempt has been given up. */
    private final class RelayListener implements StreamRelay.Listener {
        private final Cancellation call;
        private StreamRelay relay;

        RelayListener(Cancellation call) {
            this.call = call;
        }

        @Override
        public void committed(AnswerStream stream) {
            commit(call);
            Scheduler.Scheduled deadline = scheduler.schedule(Math.max(1, remainingMs()), Attempts.this::deadlinePassed);
            state = new Relaying(relay, call, deadline);
            promise.complete(stream);
        }

        @Override
        public void failedBeforeCommit(String code, String message) {
            fail(call, services.classifier().stream(target.providerName(), code, message));
        }

        @Override
        public void finished(StreamEnd end, JsonObject reported) {
            Usage usage = Usage.fromJson(reported);
            // A cut stream's reported usage, if any, is partial too; what reached the client is what counts.
            if (usage == null || !end.complete()) {
                usage = UsageEstimator.estimate(exchange.promptTokens(), relay.generatedText());
            }
            if (!end.complete() && exchange.outcome() == null) {
                exchange.outcome("stream_cut");
            }
            exchange.upstreamDone(scheduler.nanoTime(), usage);
            if (state instanceof Relaying r) {
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
    private void commit(Cancellation call) {
        if (state instanceof Calling c) {
            c.firstByte().cancel();
        }
        long now = scheduler.nanoTime();
        lease.succeeded(now - attemptStartNanos);
        exchange.step(target.model().id(), "ok");
        if (candidate > 0 || attempt > 1) {
            exchange.showPath();
        }
        exchange.answered(target.model(), target.providerName(), now);
    }

    private void fail(Cancellation call, Failure failure) {
        if (!calling(call)) {
            return;
        }
        ((Calling) state).firstByte().cancel();
        call.cancel();
        state = IDLE;
        lastFailure = failure;
        ModelConfig model = target.model();
        lease.failed(scheduler.nanoTime() - attemptStartNanos, failure);
        exchange.step(model.id(), failure.code());
        RetryDecision decision = services.retryRule().decide(failure, attempt, policy, remainingMs());
        if (decision instanceof RetryDecision.Stop stop) {
            finishWithError(stop.error());
            return;
        }
        if (decision instanceof RetryDecision.Retry retry && lease.retry()) {
            exchange.retry(model, failure.code());
            BackingOff[] self = new BackingOff[1];
            self[0] = new BackingOff(scheduler.schedule(Math.max(1, retry.delayMs()), () -> {
                if (state == self[0]) {
                    send();
                }
            }));
            state = self[0];
            return;
        }
        exchange.fallback(model, failure.code());
        nextCandidate();
    }

    private void giveUp() {
        finishWithError(lastFailure != null ? lastFailure.error()
                : new ApiException(503, "server_error", "no_model_available", null,
                "No model could take the request: " + exchange.steps() + "."));
    }

    private void finishWithError(ApiException error) {
        state = DONE;
        releaseLease();
        exchange.showPath();
        promise.tryFail(error);
    }

    private void deadlinePassed() {
        String message = "The upstream call did not complete within the deadline of " + deadlineMs + " ms.";
        State now = state;
        if (now instanceof Done) {
            return;
        }
        if (now instanceof Relaying r) {
            r.relay().abort("deadline", message);
            r.call().cancel();
            return;
        }
        if (now instanceof Calling c) {
            c.firstByte().cancel();
            c.call().cancel();
        } else if (now instanceof BackingOff b) {
            b.timer().cancel();
        }
        if (target != null) {
            exchange.step(target.model().id(), "deadline");
        }
        finishWithError(new ApiException(504, "server_error", "upstream_timeout", null, message));
    }

    private void clientGone() {
        State now = state;
        if (now instanceof Relaying r) {
            r.relay().abort("cancelled", "The client went away before the answer was complete.");
            r.call().cancel();
            return;
        }
        if (now instanceof Calling c) {
            c.firstByte().cancel();
            c.call().cancel();
        } else if (now instanceof BackingOff b) {
            b.timer().cancel();
        } else if (now instanceof Done) {
            return;
        }
        state = DONE;
        releaseLease();
        promise.tryFail(new ApiException(499, "server_error", "client_closed", null, "The client went away."));
    }

    private boolean calling(Cancellation call) {
        return state instanceof Calling c && c.call() == call && !call.isCancelled();
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
