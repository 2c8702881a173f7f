package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ResilienceConfig;
import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Providers;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.testing.ManualReadStream;
import dev.gearbox.testing.ManualScheduler;
import dev.gearbox.testing.RecordingObserver;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** One request's attempts upstream, driven through {@link UpstreamStage} with scripted providers and manual time. */
class AttemptsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ModelConfig A = ModelConfig.of("a", "pa");
    private static final ModelConfig B = ModelConfig.of("b", "pb");
    private static final long FIRST_BYTE_MS = 1_000;
    private static final long BACKOFF_MS = 100;
    /** Two attempts per model, 100 ms before the retry (no jitter), a second for the first byte, 10 s in all. */
    private static final ResiliencePolicy POLICY = ResiliencePolicy.DEFAULTS.with(new ResiliencePolicy(FIRST_BYTE_MS,
            1_000L, 10_000L, 2, BACKOFF_MS, 1_000L, 0.0, null, null, null, null, null, null, null, null, null));
    private static final String CHAT = """
            {"model":"a","messages":[{"role":"user","content":"hi"}]}""";
    private static final String STREAMED_CHAT = """
            {"model":"a","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private static final String COMPLETION = """
            {"id":"c1","object":"chat.completion","created":1,"model":"%s","choices":[{"index":0,
             "message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private static final String CHUNK = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedProvider pa = new ScriptedProvider();
    private final ScriptedProvider pb = new ScriptedProvider();
    private final RecordingListener heard = new RecordingListener();
    private Deployments deployments = deployments(POLICY);

    @Test
    void retriesA503OnTheSameModelAfterTheBackoff() {
        pa.answers(status(503), ok("a"));

        Exchange exchange = exchange(CHAT, A);
        Future<Answer> answer = send(exchange);
        assertThat(pa.calls).hasSize(1);

        scheduler.advanceMs(BACKOFF_MS - 1);
        assertThat(pa.calls).hasSize(1);
        assertThat(answer.isComplete()).isFalse();

        scheduler.advanceMs(1);
        assertThat(pa.calls).hasSize(2);
        assertThat(whole(answer).json().getString("model")).isEqualTo("a");
        assertThat(exchange.fallbacks()).isEqualTo("a=503,a=ok");
        assertThat(heard.events).containsExactly("attempt a 1", "retry a 503", "attempt a 2");
        assertAllLeasesReturned();
    }

    @Test
    void fallsBackWhenThePrimaryReturns503Twice() {
        pa.answers(status(503), status(503));
        pb.answers(ok("b"));

        Exchange exchange = exchange(CHAT, A, B);
        Future<Answer> answer = send(exchange);
        scheduler.advanceMs(BACKOFF_MS);

        assertThat(whole(answer).json().getString("model")).isEqualTo("b");
        assertThat(exchange.fallbacks()).isEqualTo("a=503,a=503,b=ok");
        assertThat(exchange.model()).isEqualTo("b");
        assertThat(exchange.provider()).isEqualTo("pb");
        assertThat(heard.events).contains("fallback a 503");
        assertAllLeasesReturned();
    }

    @Test
    void anAnswerAtTheFirstTryShowsNoPath() {
        pa.answers(ok("a"));

        Exchange exchange = exchange(CHAT, A, B);
        whole(send(exchange));

        assertThat(exchange.modelPath().toString()).isEqualTo("a=ok");
        assertThat(exchange.fallbacks()).isNull();
        assertThat(exchange.usage().promptTokens()).isEqualTo(3);
    }

    @Test
    void aBadRequestIsRelayedWithoutTryingAnotherModel() {
        pa.answers(status(400, "{\"error\":{\"message\":\"bad tools\",\"type\":\"invalid_request_error\",\"param\":\"tools\"}}"));
        pb.answers(ok("b"));

        Exchange exchange = exchange(CHAT, A, B);
        ApiException error = error(send(exchange));

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.getMessage()).isEqualTo("bad tools");
        assertThat(error.param()).isEqualTo("tools");
        assertThat(pa.calls).hasSize(1);
        assertThat(pb.calls).isEmpty();
        assertThat(exchange.fallbacks()).isEqualTo("a=400");
        assertAllLeasesReturned();
    }

    @Test
    void aRefusalGoesStraightToTheNextModel() {
        pa.answers(status(401, "{\"error\":{\"message\":\"Incorrect API key\"}}"));
        pb.answers(ok("b"));

        Exchange exchange = exchange(CHAT, A, B);
        whole(send(exchange));

        assertThat(pa.calls).hasSize(1);
        assertThat(exchange.fallbacks()).isEqualTo("a=401,b=ok");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanItsRetryAfter() {
        pa.answers(status(429, "{}", "2"), ok("a"));

        Future<Answer> answer = send(exchange(CHAT, A));
        scheduler.advanceMs(1_999);
        assertThat(pa.calls).hasSize(1);

        scheduler.advanceMs(1);
        assertThat(pa.calls).hasSize(2);
        assertThat(answer.succeeded()).isTrue();
    }

    @Test
    void aFirstByteTimeoutIsRetriedThenFallsBack() {
        pa.answers(never(), never());
        pb.answers(ok("b"));

        Exchange exchange = exchange(CHAT, A, B);
        Future<Answer> answer = send(exchange);
        scheduler.advanceMs(FIRST_BYTE_MS - 1);
        assertThat(answer.isComplete()).isFalse();
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isFalse();

        scheduler.advanceMs(1);
        // The slow call is given up, not left to run on.
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        scheduler.advanceMs(BACKOFF_MS);
        assertThat(pa.calls).hasSize(2);
        scheduler.advanceMs(FIRST_BYTE_MS);

        assertThat(whole(answer).json().getString("model")).isEqualTo("b");
        assertThat(pa.calls.get(1).cancellation().isCancelled()).isTrue();
        assertThat(exchange.fallbacks()).isEqualTo("a=timeout,a=timeout,b=ok");
        assertThat(heard.events).contains("retry a timeout", "fallback a timeout");
        assertAllLeasesReturned();
    }

    @Test
    void theTotalTimeoutEndsTheRequestWithAGatewayTimeout() {
        deployments = deployments(POLICY.with(new ResiliencePolicy(null, null, 1_500L, 1, null, null, null, null, null,
                null, null, null, null, null, null, null)));
        pa.answers(never());
        pb.answers(never());

        Exchange exchange = exchange(CHAT, A, B);
        Future<Answer> answer = send(exchange);
        scheduler.advanceMs(1_499);
        // The fallback only gets what is left of the request's time.
        assertThat(pb.calls).hasSize(1);
        assertThat(answer.isComplete()).isFalse();

        scheduler.advanceMs(1);
        ApiException error = error(answer);
        assertThat(error.status()).isEqualTo(504);
        assertThat(error.code()).isEqualTo("upstream_timeout");
        assertThat(error.getMessage()).contains("1500 ms");
        assertThat(pb.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(exchange.fallbacks()).startsWith("a=timeout,b=timeout");
        assertThat(scheduler.pending()).isZero();
        assertAllLeasesReturned();
    }

    @Test
    void aRoutesDeadlineShortensTheTotalTimeout() {
        pa.answers(never());

        Exchange exchange = exchange(CHAT, 300L, A);
        Future<Answer> answer = send(exchange);
        scheduler.advanceMs(300);

        assertThat(error(answer).status()).isEqualTo(504);
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
    }

    @Test
    void anExchangeCancelledWhileACallIsOutCancelsTheCall() {
        pa.answers(never());

        Exchange exchange = exchange(CHAT, A);
        Future<Answer> answer = send(exchange);
        exchange.interrupts().clientGone();

        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(error(answer).code()).isEqualTo("client_closed");
        assertThat(scheduler.pending()).isZero();
        assertAllLeasesReturned();
    }

    @Test
    void anExchangeCancelledBeforeTheStageRunsCallsNoProvider() {
        pa.answers(ok("a"));

        Exchange exchange = exchange(CHAT, A);
        exchange.interrupts().clientGone();
        Future<Answer> answer = send(exchange);

        assertThat(pa.calls).isEmpty();
        assertThat(error(answer).code()).isEqualTo("client_closed");
        assertAllLeasesReturned();
    }

    @Test
    void anExchangeCancelledDuringTheBackoffSendsNothingMore() {
        pa.answers(status(503), ok("a"));

        Exchange exchange = exchange(CHAT, A);
        Future<Answer> answer = send(exchange);
        exchange.interrupts().clientGone();
        scheduler.advanceMs(FIRST_BYTE_MS);

        assertThat(pa.calls).hasSize(1);
        assertThat(error(answer).code()).isEqualTo("client_closed");
        assertAllLeasesReturned();
    }

    @Test
    void aModelWhoseBreakerIsOpenIsSkipped() {
        deployments.of(A).breaker().transitionToOpenState();
        pb.answers(ok("b"));

        Exchange exchange = exchange(CHAT, A, B);
        whole(send(exchange));

        assertThat(pa.calls).isEmpty();
        assertThat(exchange.fallbacks()).isEqualTo("a=open,b=ok");
        assertThat(heard.events).contains("fallback a open");
    }

    @Test
    void whenEveryModelFailsTheClientGetsTheLastFailure() {
        pa.answers(status(503), status(503));

        Exchange exchange = exchange(CHAT, A);
        Future<Answer> answer = send(exchange);
        scheduler.advanceMs(BACKOFF_MS);

        ApiException error = error(answer);
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.code()).isEqualTo("upstream_error");
        assertThat(exchange.fallbacks()).isEqualTo("a=503,a=503");
        assertAllLeasesReturned();
    }

    @Test
    void aStreamThatFailsBeforeItsFirstEventIsRetriedInvisibly() {
        ManualReadStream broken = new ManualReadStream();
        ManualReadStream good = new ManualReadStream();
        pa.answers(eventStream(broken), eventStream(good));

        Exchange exchange = exchange(STREAMED_CHAT, A);
        Future<Answer> answer = send(exchange);
        broken.event("{\"error\":{\"message\":\"overloaded\"}}");
        assertThat(answer.isComplete()).isFalse();

        scheduler.advanceMs(BACKOFF_MS);
        good.event(CHUNK);
        RecordingObserver client = consume(answer);
        good.event(CHUNK.replace("null", "\"stop\"")).event("[DONE]");

        assertThat(client.events).hasSize(2);
        assertThat(client.end()).isEqualTo(StreamEnd.DONE);
        assertThat(exchange.fallbacks()).isEqualTo("a=stream_error,a=ok");
        assertThat(exchange.timings().upstreamDoneNanos()).isPositive();
        assertAllLeasesReturned();
    }

    @Test
    void aCommittedStreamIsCutWhenTheTotalTimeoutPasses() {
        deployments = deployments(POLICY.with(new ResiliencePolicy(null, null, 1_500L, null, null, null, null, null,
                null, null, null, null, null, null, null, null)));
        ManualReadStream upstream = new ManualReadStream();
        pa.answers(eventStream(upstream));

        Exchange exchange = exchange(STREAMED_CHAT, A);
        Future<Answer> answer = send(exchange);
        upstream.event(CHUNK);
        RecordingObserver client = consume(answer);
        scheduler.advanceMs(800);
        upstream.event(CHUNK);
        scheduler.advanceMs(699);
        assertThat(client.end()).isNull();

        scheduler.advanceMs(1);
        assertThat(client.end()).isInstanceOfSatisfying(StreamEnd.Failed.class,
                failed -> assertThat(failed.error().code()).isEqualTo("upstream_deadline"));
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(exchange.outcome()).isEqualTo("stream_cut");
        assertAllLeasesReturned();
    }

    @Test
    void aShutdownDuringAStreamEndsItWithTheShutdownErrorAndCancelsTheCall() {
        ManualReadStream upstream = new ManualReadStream();
        pa.answers(eventStream(upstream));

        Exchange exchange = exchange(STREAMED_CHAT, A);
        Future<Answer> answer = send(exchange);
        upstream.event(CHUNK);
        RecordingObserver client = consume(answer);
        exchange.interrupts().shutDown();

        assertThat(client.end()).isInstanceOfSatisfying(StreamEnd.Failed.class,
                failed -> assertThat(failed.error().code()).isEqualTo("gateway_shutting_down"));
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(exchange.outcome()).isEqualTo("shutdown");
        assertThat(scheduler.pending()).isZero();
        assertAllLeasesReturned();
    }

    @Test
    void aShutdownWhileACallIsOutAnswers503WithRetryAfter() {
        pa.answers(never());

        Exchange exchange = exchange(CHAT, A);
        Future<Answer> answer = send(exchange);
        exchange.interrupts().shutDown();

        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(error(answer).status()).isEqualTo(503);
        assertThat(error(answer).code()).isEqualTo("gateway_shutting_down");
        assertThat(error(answer).retryAfter()).isEqualTo("1");
        assertAllLeasesReturned();
    }

    @Test
    void anExchangeCancelledDuringAStreamEndsItAndCancelsTheCall() {
        ManualReadStream upstream = new ManualReadStream();
        pa.answers(eventStream(upstream));

        Exchange exchange = exchange(STREAMED_CHAT, A);
        Future<Answer> answer = send(exchange);
        upstream.event(CHUNK);
        RecordingObserver client = consume(answer);
        exchange.interrupts().clientGone();

        assertThat(client.end()).isInstanceOf(StreamEnd.Failed.class);
        assertThat(pa.calls.get(0).cancellation().isCancelled()).isTrue();
        assertThat(exchange.outcome()).isEqualTo("cancelled");
        assertThat(scheduler.pending()).isZero();
        assertAllLeasesReturned();
    }

    private Future<Answer> send(Exchange exchange) {
        UpstreamStage stage = UpstreamStage.of(new Providers(Map.of("pa", pa, "pb", pb)), deployments,
                FailureClassifier.of(new UpstreamErrors(List.of()), CLOCK), RetryRule.of(new SplittableRandom(1)),
                scheduler);
        return stage.apply(exchange, e -> Future.failedFuture(new AssertionError("the upstream stage answers")));
    }

    private static Deployments deployments(ResiliencePolicy policy) {
        return new Deployments(new ResilienceConfig(policy, Map.of()), CLOCK, new SimpleMeterRegistry());
    }

    private Exchange exchange(String body, ModelConfig model, ModelConfig... fallbacks) {
        return exchange(body, null, model, fallbacks);
    }

    private Exchange exchange(String body, Long deadlineMs, ModelConfig model, ModelConfig... fallbacks) {
        Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(),
                scheduler.nanoTime(), heard);
        exchange.request(ChatRequest.parse(Buffer.buffer(body)));
        exchange.routed(new RouteDecision("default", model, List.of(fallbacks), 0.0, deadlineMs, CacheMode.OFF, null,
                "test"), null);
        return exchange;
    }

    /** No model holds a bulkhead place once the request is over. */
    private void assertAllLeasesReturned() {
        for (ModelConfig model : List.of(A, B)) {
            assertThat(deployments.of(model).bulkhead().getMetrics().getAvailableConcurrentCalls())
                    .as("free places of %s", model.id()).isEqualTo(POLICY.maxConcurrent());
        }
    }

    private static WholeAnswer whole(Future<Answer> answer) {
        assertThat(answer.succeeded()).as("answered: %s", answer.cause()).isTrue();
        return (WholeAnswer) answer.result();
    }

    private static ApiException error(Future<Answer> answer) {
        assertThat(answer.failed()).as("failed: %s", answer.result()).isTrue();
        assertThat(answer.cause()).isInstanceOf(ApiException.class);
        return (ApiException) answer.cause();
    }

    private static RecordingObserver consume(Future<Answer> answer) {
        assertThat(answer.succeeded()).as("answered: %s", answer.cause()).isTrue();
        RecordingObserver client = new RecordingObserver();
        ((AnswerStream) answer.result()).consume(client);
        return client;
    }

    private static Supplier<Future<UpstreamResponse>> ok(String model) {
        return () -> Future.succeededFuture(new CannedResponse(200, "application/json",
                Buffer.buffer(COMPLETION.formatted(model)), null, null));
    }

    private static Supplier<Future<UpstreamResponse>> status(int status) {
        return status(status, "{\"error\":{\"message\":\"HTTP " + status + "\"}}");
    }

    private static Supplier<Future<UpstreamResponse>> status(int status, String body) {
        return status(status, body, null);
    }

    private static Supplier<Future<UpstreamResponse>> status(int status, String body, String retryAfter) {
        return () -> Future.succeededFuture(new CannedResponse(status, "application/json", Buffer.buffer(body), null,
                retryAfter));
    }

    private static Supplier<Future<UpstreamResponse>> eventStream(ReadStream<Buffer> stream) {
        return () -> Future.succeededFuture(new CannedResponse(200, "text/event-stream", null, stream, null));
    }

    /** A call whose response never comes. */
    private static Supplier<Future<UpstreamResponse>> never() {
        return () -> Promise.<UpstreamResponse>promise().future();
    }

    /** A provider that answers each call with the next scripted response and keeps the requests it was sent. */
    private static final class ScriptedProvider implements Provider {
        final List<UpstreamRequest> calls = new ArrayList<>();
        private final Deque<Supplier<Future<UpstreamResponse>>> script = new ArrayDeque<>();

        @SafeVarargs
        final void answers(Supplier<Future<UpstreamResponse>>... responses) {
            script.addAll(List.of(responses));
        }

        @Override
        public Translator translator(Request request, ModelConfig model) {
            return CanonicalTranslator.of(Operation.CHAT_COMPLETIONS, UpstreamTarget.post("/chat/completions", Authentication.NONE));
        }

        @Override
        public Future<UpstreamResponse> send(UpstreamRequest request) {
            calls.add(request);
            Supplier<Future<UpstreamResponse>> next = script.poll();
            if (next == null) {
                throw new AssertionError("unexpected call " + calls.size() + " to " + request.model().id());
            }
            return next.get();
        }
    }

    private record CannedResponse(int status, String contentType, Buffer wholeBody, ReadStream<Buffer> events,
                                  String retryAfter) implements UpstreamResponse {
        @Override
        public MultiMap headers() {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", contentType);
            if (retryAfter != null) {
                headers.add("retry-after", retryAfter);
            }
            return headers;
        }

        @Override
        public Future<Buffer> body() {
            return wholeBody != null ? Future.succeededFuture(wholeBody) : Promise.<Buffer>promise().future();
        }

        @Override
        public ReadStream<Buffer> stream() {
            if (events != null) {
                return events;
            }
            // A whole body read as a stream, as a real response may be: all of it, then its end; or, for a body
            // that never comes, nothing at all.
            ManualReadStream whole = new ManualReadStream();
            return new ReadStream<>() {
                @Override
                public ReadStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
                    whole.exceptionHandler(handler);
                    return this;
                }

                @Override
                public ReadStream<Buffer> handler(io.vertx.core.Handler<Buffer> handler) {
                    whole.handler(handler);
                    if (handler != null && wholeBody != null) {
                        whole.push(wholeBody.toString()).end();
                    }
                    return this;
                }

                @Override
                public ReadStream<Buffer> pause() {
                    whole.pause();
                    return this;
                }

                @Override
                public ReadStream<Buffer> resume() {
                    whole.resume();
                    return this;
                }

                @Override
                public ReadStream<Buffer> fetch(long amount) {
                    whole.fetch(amount);
                    return this;
                }

                @Override
                public ReadStream<Buffer> endHandler(io.vertx.core.Handler<Void> handler) {
                    whole.endHandler(handler);
                    return this;
                }
            };
        }
    }

    /** Keeps what the exchange told its listener about attempts, retries and fallbacks. */
    private static final class RecordingListener implements ExchangeListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void attempt(Exchange exchange, ModelConfig model, int number) {
            events.add("attempt " + model.id() + " " + number);
        }

        @Override
        public void retry(Exchange exchange, ModelConfig model, String reason) {
            events.add("retry " + model.id() + " " + reason);
        }

        @Override
        public void fallback(Exchange exchange, ModelConfig model, String reason) {
            events.add("fallback " + model.id() + " " + reason);
        }
    }
}
