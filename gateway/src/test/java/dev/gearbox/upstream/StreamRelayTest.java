package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.testing.ManualReadStream;
import dev.gearbox.testing.ManualScheduler;
import dev.gearbox.testing.RecordingObserver;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StreamRelayTest {

    private static final long IDLE_MS = 1_000;
    private static final String HEAD = "\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"";
    private static final String ROLE = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
    private static final String HELLO = chunk("{\"content\":\"Hello\"}", null);
    private static final String WORLD = chunk("{\"content\":\" world\"}", null);
    private static final String STOP = chunk("{}", "stop");
    private static final String USAGE_ONLY = "{" + HEAD
            + ",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
    private static final String ERROR = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

    private static final String PROVIDER_KEY = "gsk_provider_secret_0123456789";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ManualReadStream upstream = new ManualReadStream();
    private final Listener listener = new Listener();

    @Test
    void commitsNothingBeforeTheFirstWholeEvent() {
        relay(false).start();

        upstream.push("data: {" + HEAD + ",\"choices\":[{\"index\":0,");
        assertThat(listener.stream).isNull();

        upstream.push("\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n");
        assertThat(listener.stream).isNotNull();
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void aStreamThatEndsBeforeItsFirstEventFailsBeforeCommit() {
        relay(false).start();

        upstream.end();

        assertThat(listener.stream).isNull();
        assertThat(listener.failures).containsExactly("stream_cut");
        assertThat(upstream.handlerCleared()).isTrue();
    }

    @Test
    void aDoneBeforeAnyChunkFailsBeforeCommit() {
        relay(false).start();

        upstream.event("[DONE]");

        assertThat(listener.stream).isNull();
        assertThat(listener.failures).containsExactly("empty_stream");
    }

    @Test
    void anErrorEventFirstFailsBeforeCommitSoAnotherAttemptMayAnswer() {
        relay(false).start();

        upstream.event(ERROR);

        assertThat(listener.stream).isNull();
        assertThat(listener.failures).containsExactly("stream_error");
        assertThat(listener.failureMessages.get(0)).contains("overloaded");
    }

    @Test
    void aResetBeforeTheFirstEventFailsBeforeCommit() {
        relay(false).start();

        upstream.fail(new IOException("connection reset by peer"));

        assertThat(listener.stream).isNull();
        assertThat(listener.failures).containsExactly("reset");
    }

    @Test
    void afterCommitEventsReachTheConsumerInOrderAndDoneEndsTheStream() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(ROLE).event(HELLO).event(WORLD).event(STOP).event("[DONE]");

        assertThat(consumer.events).containsExactly(ROLE, HELLO, WORLD, STOP);
        assertThat(consumer.end()).isEqualTo(StreamEnd.DONE);
        assertThat(listener.ends).containsExactly(StreamEnd.DONE);
    }

    @Test
    void eventsBeforeTheConsumerAttachesAreHeldWithUpstreamPaused() {
        relay(false).start();

        upstream.event(HELLO).event(WORLD);
        assertThat(upstream.paused()).isTrue();
        assertThat(upstream.heldBack()).isEqualTo(1);

        RecordingObserver consumer = new RecordingObserver();
        listener.stream.consume(consumer);
        upstream.event(STOP).event("[DONE]");

        assertThat(consumer.events).containsExactly(HELLO, WORLD, STOP);
        assertThat(consumer.end()).isEqualTo(StreamEnd.DONE);
        assertThat(upstream.paused()).isFalse();
    }

    @Test
    void anEndWithoutDoneAfterAFinishReasonIsComplete() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event(STOP).end();

        assertThat(consumer.end()).isEqualTo(StreamEnd.DONE);
    }

    @Test
    void anEndWithoutDoneOrFinishReasonIsACutStream() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).end();

        assertFailed(consumer.end(), "upstream_stream_cut");
        assertThat(listener.ends).containsExactly(consumer.end());
    }

    @Test
    void theListenerHearsTheEndBeforeTheStreamsObservers() {
        // The listener records the usage that the stream's observers then price.
        List<String> order = new ArrayList<>();
        listener.onFinished = () -> order.add("listener");
        listener.onCommit = stream -> stream.observe(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
            }

            @Override
            public void end(StreamEnd end) {
                order.add("observer");
            }
        });
        listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event(STOP).event("[DONE]");

        assertThat(order).containsExactly("listener", "observer");
    }

    @Test
    void anErrorEventAfterCommitIsRelayedAndEndsTheStreamAsRelayed() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event(ERROR).end();

        assertThat(consumer.events).containsExactly(HELLO, ERROR);
        assertThat(consumer.end()).isInstanceOf(StreamEnd.Relayed.class);
    }

    @Test
    void anErrorEventAfterCommitThatQuotesAProviderKeyIsRelayedWithTheKeyMasked() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event("{\"error\":{\"message\":\"Invalid key " + PROVIDER_KEY + " (also sk-proj-abcdef0123456789)\","
                + "\"type\":\"authentication_error\",\"param\":\"" + PROVIDER_KEY + "\"}}").end();

        assertThat(consumer.events).hasSize(2);
        JsonObject error = new JsonObject(consumer.events.get(1)).getJsonObject("error");
        assertThat(error.getString("message")).isEqualTo("Invalid key *** (also sk-pro***)");
        assertThat(error.getString("param")).isEqualTo("***");
        assertThat(error.getString("type")).isEqualTo("authentication_error");
        assertThat(consumer.end()).isInstanceOf(StreamEnd.Relayed.class);
    }

    @Test
    void aCutStreamsMessageQuotingUpstreamBytesHasTheKeyMasked() {
        RecordingObserver consumer = listener.consumeOnCommit();
        StreamRelay relay = relay(false);
        relay.start();

        upstream.event(HELLO);
        relay.abort("reset", "upstream said " + PROVIDER_KEY);

        assertThat(consumer.end()).isInstanceOfSatisfying(StreamEnd.Failed.class,
                failed -> assertThat(failed.error().getMessage()).isEqualTo("upstream said ***"));
    }

    @Test
    void aCommittedStreamSilentForTheIdleTimeoutFails() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();
        upstream.event(HELLO);

        scheduler.advanceMs(IDLE_MS - 1);
        assertThat(consumer.end()).isNull();

        scheduler.advanceMs(1);
        assertFailed(consumer.end(), "upstream_idle_timeout");
    }

    @Test
    void eachChunkRestartsTheIdleTime() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();
        upstream.event(HELLO);
        scheduler.advanceMs(600);
        upstream.event(WORLD);

        scheduler.advanceMs(IDLE_MS - 1);
        assertThat(consumer.end()).isNull();

        scheduler.advanceMs(1);
        assertFailed(consumer.end(), "upstream_idle_timeout");
        assertThat(scheduler.elapsedMs()).isEqualTo(600 + IDLE_MS);
    }

    @Test
    void aDoneAfterAnUpstreamErrorEventIsNoCleanEnd() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event("{\"error\":{\"message\":\"overloaded\"}}").event("[DONE]");

        assertThat(consumer.end()).isInstanceOf(StreamEnd.Relayed.class);
        assertThat(consumer.end().complete()).isFalse();
    }

    @Test
    void theUsageOnlyChunkIsHiddenWhenTheClientDidNotAskForUsage() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(false).start();

        upstream.event(HELLO).event(STOP).event(USAGE_ONLY).event("[DONE]");

        assertThat(consumer.events).containsExactly(HELLO, STOP);
        assertThat(consumer.hidden).containsExactly(USAGE_ONLY);
        assertThat(listener.usage.promptTokens()).isEqualTo(3);
        assertThat(listener.usage.estimated()).isFalse();
    }

    @Test
    void theUsageOnlyChunkIsShownWhenTheClientAskedForUsage() {
        RecordingObserver consumer = listener.consumeOnCommit();
        relay(true).start();

        upstream.event(HELLO).event(STOP).event(USAGE_ONLY).event("[DONE]");

        assertThat(consumer.events).containsExactly(HELLO, STOP, USAGE_ONLY);
        assertThat(consumer.hidden).isEmpty();
        assertThat(listener.usage.completionTokens()).isEqualTo(2);
    }

    @Test
    void aConsumerThatPausesPausesUpstream() {
        RecordingObserver consumer = listener.consumeOnCommit();
        consumer.onEvent(e -> listener.stream.pause());
        relay(false).start();

        upstream.event(HELLO).event(WORLD);

        assertThat(upstream.paused()).isTrue();
        assertThat(consumer.events).containsExactly(HELLO);

        consumer.onEvent(e -> {
        });
        listener.stream.resume();

        assertThat(upstream.paused()).isFalse();
        assertThat(consumer.events).containsExactly(HELLO, WORLD);
    }

    @Test
    void aConsumerThatPausesWhileHandedHeldEventsKeepsUpstreamPaused() {
        relay(false).start();
        upstream.event(HELLO).event(WORLD);

        RecordingObserver consumer = new RecordingObserver();
        consumer.onEvent(e -> listener.stream.pause());
        listener.stream.consume(consumer);

        assertThat(upstream.paused()).isTrue();
        assertThat(consumer.events).containsExactly(HELLO);
    }

    @Test
    void aStreamPausedByItsConsumerIsNotIdle() {
        RecordingObserver consumer = listener.consumeOnCommit();
        consumer.onEvent(e -> listener.stream.pause());
        relay(false).start();
        upstream.event(HELLO).event(WORLD);

        // The client reads nothing for longer than the idle timeout while upstream has more to send.
        scheduler.advanceMs(IDLE_MS * 3);
        assertThat(consumer.end()).isNull();

        consumer.onEvent(e -> {
        });
        listener.stream.resume();
        upstream.event(STOP).event("[DONE]");
        assertThat(consumer.events).containsExactly(HELLO, WORLD, STOP);
        assertThat(consumer.end()).isEqualTo(StreamEnd.DONE);
    }

    @Test
    void stoppingBeforeCommitEndsReadingWithoutAWord() {
        StreamRelay relay = relay(false);
        relay.start();

        relay.stop();
        upstream.event(HELLO);
        scheduler.advanceMs(IDLE_MS * 2);

        assertThat(upstream.handlerCleared()).isTrue();
        assertThat(listener.stream).isNull();
        assertThat(listener.failures).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    private StreamRelay relay(boolean clientWantsUsage) {
        return new StreamRelay(scheduler, upstream, CanonicalTranslator.of(dev.gearbox.wire.Operation.CHAT_COMPLETIONS, dev.gearbox.providers.UpstreamTarget.post("/chat/completions", dev.gearbox.providers.Authentication.NONE)), Redaction.of(List.of(PROVIDER_KEY)),
                clientWantsUsage, IDLE_MS, () -> 3, listener);
    }

    private static void assertFailed(StreamEnd end, String code) {
        assertThat(end).isInstanceOfSatisfying(StreamEnd.Failed.class, failed -> {
            assertThat(failed.error().code()).isEqualTo(code);
            assertThat(failed.error().status()).isEqualTo(502);
        });
        assertThat(end.complete()).isFalse();
    }

    private static String chunk(String delta, String finishReason) {
        return "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    /** Records what the relay tells the attempt that started it. */
    private static final class Listener implements StreamRelay.Listener {
        AnswerStream stream;
        RecordingObserver consumer;
        final List<String> failures = new ArrayList<>();
        final List<String> failureMessages = new ArrayList<>();
        final List<StreamEnd> ends = new ArrayList<>();
        Usage usage;
        Runnable onFinished = () -> {
        };
        Consumer<AnswerStream> onCommit = stream -> {
        };

        /** Attaches a consumer as soon as the stream is committed, as a waiting client does. */
        RecordingObserver consumeOnCommit() {
            consumer = new RecordingObserver();
            return consumer;
        }

        @Override
        public void committed(AnswerStream stream) {
            this.stream = stream;
            onCommit.accept(stream);
            if (consumer != null) {
                stream.consume(consumer);
            }
        }

        @Override
        public void failedBeforeCommit(String code, String message) {
            failures.add(code);
            failureMessages.add(message);
        }

        @Override
        public void finished(StreamEnd end, Usage usage) {
            ends.add(end);
            this.usage = usage;
            onFinished.run();
        }
    }
}
