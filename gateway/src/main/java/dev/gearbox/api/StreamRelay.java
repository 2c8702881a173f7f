package dev.gearbox.api;

import io.vertx.core.Vertx;
import io.vertx.core.Timer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Relays an upstream SSE stream of chat completion chunks to the client as they arrive.
 *
 * <p>Nothing reaches the client until the first good event has arrived: a stream that fails before then
 * is reported to the {@link Listener}, which may try another attempt or model invisibly. From the first
 * event on, each event is forwarded as soon as its last byte has arrived; when the client reads slower
 * than upstream writes, upstream is paused until the client's queue drains. The usage-only chunk the
 * gateway asked for is dropped again when the client did not ask for it. A stream that is cut short
 * (upstream error, reset, idle timeout, an end without {@code [DONE]} or a finish reason) ends with an
 * error event in OpenAI's shape and no {@code [DONE]}, never with a clean end on a partial answer.
 */
final class StreamRelay {

    /** Hears how the stream goes. */
    interface Listener {
        /** The first good event has arrived; set the response head now, it is written next. */
        void commit();

        /** One event of the answer, relayed or not (the usage-only chunk may be dropped for the client). */
        void event(SseEvent data);

        /** The stream failed before anything reached the client; nothing has been written. */
        void failedBeforeCommit(String code, String message);

        /** The stream has ended after commit; {@code complete} when the answer reached the client whole. */
        void finished(boolean complete, JsonObject usage);
    }

    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    /** Events kept to count a cut stream's tokens; beyond this the count is scaled by size. */
    private static final int MAX_RETAINED_BYTES = 1024 * 1024;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
    private static final byte[] USAGE = JsonPeek.field("usage");
    private static final byte[] FINISH_REASON = JsonPeek.field("finish_reason");
    private static final byte[] ERROR = JsonPeek.field("error");

    private final Vertx vertx;
    private final HttpServerResponse out;
    private final ReadStream<Buffer> upstream;
    private final boolean clientWantsUsage;
    private final long idleTimeoutNanos;
    private final Listener listener;
    private boolean committed;
    private boolean finished;
    private boolean sawFinishReason;
    private boolean sawError;
    private JsonObject usage;
    private long lastChunkNanos;
    private Timer idleTimer;
    private final java.util.List<SseEvent> retained = new java.util.ArrayList<>();
    private long retainedBytes;
    private long relayedBytes;

    StreamRelay(Vertx vertx, HttpServerResponse out, ReadStream<Buffer> upstream, boolean clientWantsUsage,
                long idleTimeoutMs, Listener listener) {
        this.vertx = vertx;
        this.out = out;
        this.upstream = upstream;
        this.clientWantsUsage = clientWantsUsage;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.listener = listener;
    }

    /** Starts reading upstream. */
    void start() {
        SseParser parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
        out.drainHandler(v -> upstream.resume());
        upstream.exceptionHandler(e -> fail("reset",
                "The upstream stream failed before the answer was complete: " + e.getMessage()));
        upstream.endHandler(v -> onEnd());
        lastChunkNanos = System.nanoTime();
        upstream.handler(chunk -> {
            lastChunkNanos = System.nanoTime();
            try {
                parser.feed(chunk);
            } catch (RuntimeException e) {
                fail("malformed_stream", "The upstream stream was malformed: " + e.getMessage());
            }
        });
        armIdleTimer(idleTimeoutNanos);
    }

    /**
     * The text generated so far, for counting tokens when upstream reported no usage; parses the kept
     * events, so call it only then.
     */
    String generatedText() {
        StringBuilder out = new StringBuilder();
        for (SseEvent event : retained) {
            try {
                dev.gearbox.cost.UsageEstimator.appendGeneratedText(new JsonObject(event.toBuffer()), out);
            } catch (RuntimeException notJson) {
                // An unreadable event carries no countable text.
            }
        }
        if (relayedBytes > retainedBytes && retainedBytes > 0) {
            // Only the first megabyte was kept: stand the rest in with text of the same density.
            int copies = (int) Math.min(1_000, relayedBytes / retainedBytes);
            String sample = out.toString();
            for (int i = 1; i < copies; i++) {
                out.append(sample);
            }
        }
        return out.toString();
    }

    /** Ends the stream now, as when the deadline passes. */
    void abort(String code, String message) {
        fail(code, message);
    }

    private void onEvent(SseEvent data) {
        if (finished) {
            return;
        }
        if (JsonPeek.isDone(data)) {
            if (!committed) {
                fail("empty_stream", "The upstream stream ended before its first chunk.");
                return;
            }
            finish(DONE, true);
            return;
        }
        if (JsonPeek.hasField(data, ERROR, '{')) {
            if (!committed) {
                fail("stream_error", "The upstream stream failed before its first chunk: " + data);
                return;
            }
            sawError = true;
        } else if (JsonPeek.hasField(data, USAGE, '{') && dropAfterReadingUsage(data)) {
            if (committed) {
                listener.event(data);
            }
            return;
        }
        if (!sawFinishReason && JsonPeek.hasField(data, FINISH_REASON, '"')) {
            sawFinishReason = true;
        }
        if (!committed) {
            committed = true;
            listener.commit();
        }
        relayedBytes += data.length();
        if (usage == null && retainedBytes + data.length() <= MAX_RETAINED_BYTES) {
            retained.add(data);
            retainedBytes += data.length();
        }
        write(Buffer.buffer(data.length() + 8).appendBytes(DATA).appendBytes(data.bytes(), data.offset(), data.length())
                .appendBytes(END_OF_EVENT));
        listener.event(data);
    }

    /** Records the usage of a chunk; true when the chunk is the usage-only one the client did not ask for. */
    private boolean dropAfterReadingUsage(SseEvent data) {
        try {
            JsonObject chunk = new JsonObject(data.toBuffer());
            usage = chunk.getJsonObject("usage");
            return !clientWantsUsage && chunk.getValue("choices") instanceof JsonArray choices && choices.isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void write(Buffer frame) {
        if (out.closed()) {
            return;
        }
        out.write(frame);
        if (out.writeQueueFull()) {
            upstream.pause();
        }
    }

    private void onEnd() {
        if (finished) {
            return;
        }
        if (sawError) {
            finish(null, false);
        } else if (sawFinishReason) {
            // Some OpenAI-compatible servers finish the answer but never send [DONE]; the answer is whole.
            finish(DONE, true);
        } else {
            fail("stream_cut", "The upstream stream ended before the answer was complete.");
        }
    }

    /** Re-arms itself for the rest of the idle time, so a busy stream costs one timer per idle period, not one per chunk. */
    private void armIdleTimer(long delayNanos) {
        idleTimer = vertx.timer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), TimeUnit.MILLISECONDS);
        idleTimer.onSuccess(v -> {
            if (finished) {
                return;
            }
            long idle = System.nanoTime() - lastChunkNanos;
            if (idle >= idleTimeoutNanos) {
                fail("idle_timeout", "The upstream stream stopped before the answer was complete: nothing for "
                        + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms.");
            } else {
                armIdleTimer(idleTimeoutNanos - idle);
            }
        });
    }

    private void fail(String code, String message) {
        if (finished) {
            return;
        }
        if (!committed) {
            finished = true;
            cancelIdleTimer();
            upstream.handler(null);
            listener.failedBeforeCommit(code, message);
            return;
        }
        Buffer error = ApiException.body(message, "server_error", null, "upstream_" + code);
        finish(Buffer.buffer(error.length() + 8).appendBytes(DATA).appendBuffer(error).appendBytes(END_OF_EVENT), false);
    }

    private void finish(Buffer last, boolean complete) {
        finished = true;
        cancelIdleTimer();
        // The listener prices the answer; ending the response reports it, so the listener goes first.
        listener.finished(complete, usage);
        if (!out.closed() && !out.ended()) {
            if (last == null) {
                out.end();
            } else {
                out.end(last);
            }
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }
}
