package dev.gearbox.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an upstream SSE stream of chat completion chunks to the client as they arrive.
 *
 * <p>Each event is forwarded as soon as its last byte has arrived; when the client reads slower than
 * upstream writes, upstream is paused until the client's queue drains. The usage-only chunk the gateway
 * asked for is dropped again when the client did not ask for it. A stream that ends without
 * {@code [DONE]} and without a finish reason was cut short: the client gets an error event and no
 * {@code [DONE]}, never a clean end on a partial answer.
 */
final class StreamRelay {

    /** Told when the first event has been relayed and when the stream has ended. */
    interface Listener {
        void firstByte();

        /** @param complete whether the answer reached the client whole, ending in {@code [DONE]} */
        void finished(boolean complete);
    }

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
    private static final byte[] USAGE = JsonPeek.field("usage");
    private static final byte[] FINISH_REASON = JsonPeek.field("finish_reason");
    private static final byte[] ERROR = JsonPeek.field("error");

    private final HttpServerResponse out;
    private final ReadStream<Buffer> upstream;
    private final boolean clientWantsUsage;
    private final String requestId;
    private final Listener listener;
    private boolean finished;
    private boolean sawFinishReason;
    private boolean sawError;
    private JsonObject usage;

    StreamRelay(HttpServerResponse out, ReadStream<Buffer> upstream, boolean clientWantsUsage, String requestId,
                Listener listener) {
        this.out = out;
        this.upstream = upstream;
        this.clientWantsUsage = clientWantsUsage;
        this.requestId = requestId;
        this.listener = listener;
    }

    /** Starts relaying; the response head must be set already. */
    void start() {
        SseParser parser = new SseParser(MAX_EVENT_BYTES, this::onEvent);
        out.drainHandler(v -> upstream.resume());
        upstream.exceptionHandler(this::onFailure);
        upstream.endHandler(v -> onEnd());
        upstream.handler(chunk -> {
            try {
                parser.feed(chunk);
            } catch (RuntimeException e) {
                onFailure(e);
            }
        });
    }

    /** The usage block of the stream, once seen; null before. */
    JsonObject usage() {
        return usage;
    }

    private void onEvent(Buffer data) {
        if (finished) {
            return;
        }
        if (JsonPeek.isDone(data)) {
            finish(DONE, true);
            return;
        }
        if (JsonPeek.hasField(data, ERROR, '{')) {
            sawError = true;
        } else if (JsonPeek.hasField(data, USAGE, '{') && dropAfterReadingUsage(data)) {
            return;
        }
        if (!sawFinishReason && JsonPeek.hasField(data, FINISH_REASON, '"')) {
            sawFinishReason = true;
        }
        write(Buffer.buffer(data.length() + 8).appendBytes(DATA).appendBuffer(data).appendBytes(END_OF_EVENT));
    }

    /** Records the usage of a chunk; true when the chunk is the usage-only one the client did not ask for. */
    private boolean dropAfterReadingUsage(Buffer data) {
        try {
            JsonObject chunk = new JsonObject(data);
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
        listener.firstByte();
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
            fail("The upstream stream ended before the answer was complete.");
        }
    }

    private void onFailure(Throwable failure) {
        if (finished) {
            return;
        }
        log.warn("stream {} failed upstream: {}", requestId, failure.toString());
        fail("The upstream stream failed before the answer was complete: " + failure.getMessage());
    }

    /** Ends the stream now with an error event, as when a deadline passes. */
    void abort(String message) {
        if (!finished) {
            fail(message);
        }
    }

    private void fail(String message) {
        Buffer error = ApiException.body(message, "server_error", null, "upstream_stream_error");
        finish(Buffer.buffer(error.length() + 8).appendBytes(DATA).appendBuffer(error).appendBytes(END_OF_EVENT), false);
    }

    private void finish(Buffer last, boolean complete) {
        finished = true;
        listener.finished(complete);
        if (out.closed() || out.ended()) {
            return;
        }
        if (last == null) {
            out.end();
        } else {
            out.end(last);
        }
    }
}
