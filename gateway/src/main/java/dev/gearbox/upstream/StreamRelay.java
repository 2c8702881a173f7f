package dev.gearbox.upstream;

import dev.gearbox.cost.Usage;
import dev.gearbox.cost.UsageEstimator;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.providers.Translator;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.EventScan;
import dev.gearbox.wire.JsonPeek;
import dev.gearbox.wire.JsonScan;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.Transcript;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one attempt's upstream stream through its translator and hands the canonical events up as an
 * {@link AnswerStream}.
 *
 * <p>Nothing is committed until the first good event has arrived: a stream that fails before then is
 * reported to the {@link Listener}, which may try another attempt or model invisibly. From the first event
 * on, each event is handed up as soon as its last byte has arrived, and upstream is paused while the
 * consumer is. The usage-only chunk the gateway asked for is handed up hidden when the client did not ask
 * for it. A stream that is cut short (upstream error, reset, idle timeout, an end without {@code [DONE]} or
 * a finish reason) ends {@link StreamEnd.Failed failed}, never with a clean end on a partial answer.
 */
final class StreamRelay {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRelay.class);

    /** Hears how the stream goes. */
    interface Listener {
        /** The first good event is here and follows at once on {@code stream}; hand the stream up now. */
        void committed(AnswerStream stream);

        /** The stream failed before anything was committed. */
        void failedBeforeCommit(String code, String message);

        /**
         * The stream is over after commit; called before its end reaches the stream's observers.
         *
         * @param usage what upstream reported for a whole answer, else the tokens of what was relayed, counted
         */
        void finished(StreamEnd end, Usage usage);
    }

    /** Events kept to count a cut stream's tokens; beyond this the count is scaled by size. */
    private static final int MAX_RETAINED_BYTES = 1024 * 1024;
    private static final byte[] FINISH_REASON = JsonPeek.field("finish_reason");
    private static final int EXCERPT_CHARS = 200;

    private final Scheduler scheduler;
    private final ReadStream<Buffer> upstream;
    private final Translator translator;
    private final Redaction redaction;
    private final boolean clientWantsUsage;
    private final long idleTimeoutNanos;
    private final IntSupplier promptTokens;
    private final Listener listener;
    private AnswerStream stream;
    private boolean finished;
    private boolean sawFinishReason;
    private boolean sawError;
    private JsonObject usage;
    private long lastChunkNanos;
    private boolean paused;
    private Scheduler.Scheduled idleTimer;
    // Only the generated text is kept, not the events: they held each chunk's whole array for the life of the stream.
    private final Transcript transcript = new Transcript();
    private long retainedBytes;
    private long relayedBytes;
    private final java.util.function.Consumer<SseEvent> onEvent = this::onEvent;

    /** @param promptTokens the prompt's tokens, for the usage of a stream upstream reported none for */
    /** @param redaction masks provider keys in what upstream says that reaches the client or the log */
    StreamRelay(Scheduler scheduler, ReadStream<Buffer> upstream, Translator translator, Redaction redaction,
                boolean clientWantsUsage, long idleTimeoutMs, IntSupplier promptTokens, Listener listener) {
        this.scheduler = scheduler;
        this.upstream = upstream;
        this.translator = translator;
        this.redaction = redaction;
        this.clientWantsUsage = clientWantsUsage;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.promptTokens = promptTokens;
        this.listener = listener;
    }

    /** Starts reading upstream. */
    void start() {
        upstream.exceptionHandler(e -> fail("reset",
                "The upstream stream failed before the answer was complete: " + e.getMessage()));
        upstream.endHandler(v -> onEnd());
        lastChunkNanos = scheduler.nanoTime();
        upstream.handler(chunk -> {
            lastChunkNanos = scheduler.nanoTime();
            try {
                translator.feed(chunk, onEvent);
                if (stream != null) {
                    stream.flush();
                }
            } catch (RuntimeException e) {
                fail("malformed_stream", "The upstream stream was malformed: " + e.getMessage());
            }
        });
        armIdleTimer(idleTimeoutNanos);
    }

    /**
     * The text generated so far, for counting tokens when upstream reported no usage; parses the kept
     * events, so it is called only then.
     */
    private String generatedText() {
        StringBuilder out = new StringBuilder(transcript.text());
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

    /** Ends the stream now, as when the deadline passes or the client goes away. */
    void abort(String code, String message) {
        fail(code, message);
    }

    /** Ends the stream now with the gateway's own error, as when it shuts down; before commit, as {@code abort}. */
    void abort(ApiException error) {
        if (finished) {
            return;
        }
        if (stream == null) {
            fail(error.code(), error.getMessage());
            return;
        }
        finish(new StreamEnd.Failed(error));
    }

    /** Stops reading without a word: the attempt was given up before anything was committed. */
    void stop() {
        if (!finished) {
            finished = true;
            cancelIdleTimer();
            upstream.handler(null);
        }
    }

    private void onEvent(SseEvent upstreamEvent) {
        SseEvent data = upstreamEvent;
        if (finished) {
            return;
        }
        if (JsonPeek.isDone(data)) {
            if (stream == null) {
                fail("empty_stream", "The upstream stream ended before its first chunk.");
                return;
            }
            // After an error event the answer is not whole, whatever upstream says next.
            finish(sawError ? new StreamEnd.Relayed() : StreamEnd.DONE);
            return;
        }
        boolean retaining = usage == null && retainedBytes + data.length() <= MAX_RETAINED_BYTES;
        int kinds = EventScan.check(data.bytes(), data.offset(), data.length(), retaining ? transcript : null);
        // A usage block is read as JsonScan reads it, whose counts must fit a long: once a stream, on its usage chunk.
        if (kinds != EventScan.INVALID && (kinds & EventScan.USAGE) != 0
                && JsonScan.object(data.bytes(), data.offset(), data.length()) == null) {
            kinds = EventScan.INVALID;
        }
        if (kinds == EventScan.INVALID) {
            // What upstream sent goes to the debug log, not to the client: garbage is never relayed, not even quoted.
            LOG.debug("upstream event is not a JSON object: {}", redaction.text(excerpt(data)));
            fail("malformed_stream", "The upstream stream sent an event that is not a JSON object.");
            return;
        }
        if ((kinds & EventScan.ERROR) != 0) {
            if (stream == null) {
                fail("stream_error", "The upstream stream failed before its first chunk: " + excerpt(data));
                return;
            }
            sawError = true;
            // The provider's own words go to the client, and a provider may quote the key it was sent.
            data = redaction.event(data);
        } else if ((kinds & EventScan.USAGE) != 0 && hiddenAfterReadingUsage(data)) {
            if (stream != null) {
                stream.emitHidden(data);
            }
            return;
        }
        if (!sawFinishReason && JsonPeek.hasField(data, FINISH_REASON, '"')) {
            sawFinishReason = true;
        }
        if (stream == null) {
            stream = AnswerStream.of(new AnswerStream.Flow() {
                @Override
                public void pause() {
                    paused = true;
                    upstream.pause();
                }

                @Override
                public void resume() {
                    paused = false;
                    // Upstream was quiet because the gateway told it to be; its idle time starts now.
                    lastChunkNanos = scheduler.nanoTime();
                    upstream.resume();
                }
            });
            listener.committed(stream);
        }
        relayedBytes += data.length();
        if (retaining) {
            retainedBytes += data.length();
        }
        stream.emit(data);
    }

    private static String excerpt(SseEvent data) {
        String text = new String(data.bytes(), data.offset(), Math.min(data.length(), EXCERPT_CHARS * 4),
                java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "..." : text;
    }

    /** Records the usage of a chunk; true when the chunk is the usage-only one the client did not ask for. */
    private boolean hiddenAfterReadingUsage(SseEvent data) {
        try {
            JsonObject chunk = new JsonObject(data.toBuffer());
            usage = chunk.getJsonObject("usage");
            return !clientWantsUsage && chunk.getValue("choices") instanceof JsonArray choices && choices.isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void onEnd() {
        if (finished) {
            return;
        }
        if (sawError) {
            finish(new StreamEnd.Relayed());
        } else if (sawFinishReason) {
            // Some OpenAI-compatible servers finish the answer but never send [DONE]; the answer is whole.
            finish(StreamEnd.DONE);
        } else {
            fail("stream_cut", "The upstream stream ended before the answer was complete.");
        }
    }

    /** Re-arms itself for the rest of the idle time, so a busy stream costs one timer per idle period, not one per chunk. */
    private void armIdleTimer(long delayNanos) {
        idleTimer = scheduler.schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), () -> {
            if (finished) {
                return;
            }
            long idle = paused ? 0 : scheduler.nanoTime() - lastChunkNanos;
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
        if (stream == null) {
            finished = true;
            cancelIdleTimer();
            upstream.handler(null);
            listener.failedBeforeCommit(code, message);
            return;
        }
        // A reset's or a parser's message may quote what upstream sent.
        finish(new StreamEnd.Failed(new ApiException(502, "server_error", "upstream_" + code, null,
                redaction.text(message))));
    }

    private void finish(StreamEnd end) {
        finished = true;
        cancelIdleTimer();
        Usage reported = Usage.fromJson(usage);
        // A cut stream's reported usage, if any, is partial too; what reached the client is what counts.
        Usage counted = reported != null && end.complete() ? reported
                : UsageEstimator.estimate(promptTokens.getAsInt(), generatedText());
        // The listener records the usage; the stream's observers price it, so the listener goes first.
        listener.finished(end, counted);
        stream.end(end);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }
}
