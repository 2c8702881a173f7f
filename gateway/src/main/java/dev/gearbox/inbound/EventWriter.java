package dev.gearbox.inbound;

import dev.gearbox.exchange.AnswerStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
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
    /** Frames queued as they lie in the upstream's own bytes, not yet copied: an array and a range of it. */
    private byte[] slice;
    private int sliceStart;
    private int sliceEnd;

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
        copySlice();
        if (pending == null) {
            pending = frame;
        } else {
            pending.appendBuffer(frame);
        }
    }

    /**
     * Queues a frame that is already written out in bytes nobody changes any more (an upstream read, as
     * received): frames that follow one another in one array go out as that array, without a copy.
     */
    public void write(byte[] array, int start, int end) {
        if (over()) {
            return;
        }
        if (pending == null && (slice == null || slice == array && sliceEnd == start)) {
            if (slice == null) {
                slice = array;
                sliceStart = start;
            }
            sliceEnd = end;
            return;
        }
        copySlice();
        pending.appendBytes(array, start, end - start);
    }

    /** What was queued in place, copied to the pending buffer, since a frame that is not in place follows it. */
    private void copySlice() {
        if (slice != null) {
            Buffer copy = Buffer.buffer(sliceEnd - sliceStart + 256).appendBytes(slice, sliceStart, sliceEnd - sliceStart);
            pending = pending == null ? copy : pending.appendBuffer(copy);
            slice = null;
        } else if (pending == null) {
            pending = Buffer.buffer(256);
        }
    }

    /** What is queued, as one buffer: the upstream's bytes wrapped where they are, when that is all there is. */
    private Buffer take() {
        Buffer out;
        if (slice != null && pending == null) {
            out = BufferInternal.buffer(Unpooled.wrappedBuffer(slice, sliceStart, sliceEnd - sliceStart));
        } else {
            if (slice != null) {
                copySlice();
            }
            out = pending;
        }
        slice = null;
        pending = null;
        return out;
    }

    /** Writes what was queued since the last flush, in one write. */
    public void flush() {
        Buffer out = take();
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
        Buffer out = take();
        if (over()) {
            return;
        }
        if (out == null) {
            out = last;
        } else if (last != null) {
            out = Buffer.buffer(out.length() + last.length()).appendBuffer(out).appendBuffer(last);
        }
        if (out == null) {
            response.end();
        } else {
            response.end(out);
        }
    }
}
