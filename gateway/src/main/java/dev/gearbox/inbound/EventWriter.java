package dev.gearbox.inbound;

import dev.gearbox.exchange.AnswerStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a streamed answer's frames to the client as server-sent events, one write for each batch the
 * producer hands over ({@link dev.gearbox.exchange.StreamObserver#flush}: what one upstream read held)
 * rather than one per event. Every write to the response is a flush, a chunk and a system call; an upstream
 * that sends several events in one packet, or a client that fell behind, got as many of each as events.
 * The stream is paused while the client's queue is full and resumed as it drains.
 */
public final class EventWriter {

    private final HttpServerResponse response;
    private final AnswerStream stream;
    private Buffer pending;

    private EventWriter(HttpServerResponse response, AnswerStream stream) {
        this.response = response;
        this.stream = stream;
    }

    /** Starts the response as an event stream: chunked, uncached, unbuffered by proxies. */
    public static EventWriter of(HttpServerResponse response, AnswerStream stream) {
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        response.drainHandler(v -> stream.resume());
        return new EventWriter(response, stream);
    }

    /** Whether the client is gone or the answer already ended: nothing more is written. */
    public boolean over() {
        return response.closed() || response.ended();
    }

    /** Queues one frame for the next flush; the frame becomes the writer's (it may be appended to). */
    public void write(Buffer frame) {
        if (over()) {
            return;
        }
        if (pending == null) {
            pending = frame;
        } else {
            pending.appendBuffer(frame);
        }
    }

    /** Writes what was queued since the last flush, in one write. */
    public void flush() {
        Buffer out = pending;
        pending = null;
        if (out == null || over()) {
            return;
        }
        response.write(out);
        if (response.writeQueueFull()) {
            stream.pause();
        }
    }

    /** Ends the response with what was queued and then {@code last}, if any, in one write. */
    public void end(Buffer last) {
        Buffer out = pending;
        pending = null;
        if (over()) {
            return;
        }
        if (out == null) {
            out = last;
        } else if (last != null) {
            out.appendBuffer(last);
        }
        if (out == null) {
            response.end();
        } else {
            response.end(out);
        }
    }
}
