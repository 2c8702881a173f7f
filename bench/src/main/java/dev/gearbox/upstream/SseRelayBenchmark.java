package dev.gearbox.upstream;

import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.inbound.openai.OpenAiRendering;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's work per upstream chunk of a committed stream, without the network: the real
 * {@link StreamRelay} reads it through the canonical translator (event boundary, peeks for usage, finish
 * reason and error), hands it up the {@link AnswerStream}, and the consumer frames it as
 * {@link OpenAiRendering} writes it to the client. In the relay's package, since the relay is its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseRelayBenchmark {

    private Buffer chunk;
    private Handler<Buffer> upstream;

    @Setup
    public void setUp(Blackhole blackhole) {
        chunk = Buffer.buffer("data: {\"id\":\"chatcmpl-B9MHEx3kFq1kY7bGdFOJ6PeH\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1741570284,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_06737a9306\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" capital\"},\"logprobs\":null,\"finish_reason\":null}],"
                + "\"usage\":null}\n\n");
        FakeUpstream stream = new FakeUpstream();
        StreamRelay relay = new StreamRelay(NO_TIMERS, stream, CanonicalTranslator.of(dev.gearbox.wire.Operation.CHAT_COMPLETIONS, dev.gearbox.providers.UpstreamTarget.post("/chat/completions", dev.gearbox.providers.Authentication.NONE)), Redaction.of(List.of()), false, 60_000, () -> 0,
                new StreamRelay.Listener() {
                    @Override
                    public void committed(AnswerStream answer) {
                        answer.consume(new StreamObserver() {
                            @Override
                            public void event(SseEvent data) {
                                // As inbound/EventWriter sends one read's frames: in place when they are the frame written.
                                blackhole.consume(OpenAiRendering.framedInPlace(data)
                                        ? io.vertx.core.internal.buffer.BufferInternal.buffer(io.netty.buffer.Unpooled
                                                .wrappedBuffer(data.bytes(), data.offset() - 6, data.length() + 8))
                                        : OpenAiRendering.frame(data));
                            }

                            @Override
                            public void end(StreamEnd end) {
                                blackhole.consume(end);
                            }
                        });
                    }

                    @Override
                    public void failedBeforeCommit(String code, String message) {
                        throw new IllegalStateException(message);
                    }

                    @Override
                    public void finished(StreamEnd end, dev.gearbox.cost.Usage usage) {
                    }
                });
        relay.start();
        upstream = stream.handler;
        // The first event commits the stream; every measured one is relayed as the stream goes on.
        upstream.handle(chunk);
    }

    @Benchmark
    public void relayOneChunk() {
        upstream.handle(chunk);
    }

    /** Time stands still: the relay's idle timer is armed once and never fires. */
    private static final Scheduler NO_TIMERS = new Scheduler() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Scheduled schedule(long delayMs, Runnable task) {
            return () -> { };
        }
    };

    /** The upstream side of the relay: the benchmark pushes chunks into its handler. */
    private static final class FakeUpstream implements ReadStream<Buffer> {
        private Handler<Buffer> handler;

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            return this;
        }
    }
}
