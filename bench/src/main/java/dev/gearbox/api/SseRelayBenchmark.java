package dev.gearbox.api;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
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
 * The relay's work per upstream chunk, without the network: find the event boundary, peek for usage,
 * finish reason and error without parsing, and build the frame written to the client. In the gateway's
 * package so it times the relay's own helpers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseRelayBenchmark {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = JsonPeek.field("usage");
    private static final byte[] FINISH = JsonPeek.field("finish_reason");
    private static final byte[] ERROR = JsonPeek.field("error");

    private Buffer chunk;
    private Blackhole sink;
    private SseParser parser;

    @Setup
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        chunk = Buffer.buffer("data: {\"id\":\"chatcmpl-B9MHEx3kFq1kY7bGdFOJ6PeH\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1741570284,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_06737a9306\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" capital\"},\"logprobs\":null,\"finish_reason\":null}],"
                + "\"usage\":null}\n\n");
        parser = new SseParser(1 << 20, this::relay);
    }

    private void relay(SseEvent data) {
        boolean special = JsonPeek.isDone(data) || JsonPeek.hasField(data, ERROR, '{') || JsonPeek.hasField(data, USAGE, '{');
        boolean finished = JsonPeek.hasField(data, FINISH, '"');
        sink.consume(special | finished);
        sink.consume(Buffer.buffer(data.length() + 8).appendBytes(DATA).appendBytes(data.bytes(), data.offset(), data.length())
                .appendBytes(END));
    }

    @Benchmark
    public void relayOneChunk() {
        parser.feed(chunk);
    }
}
