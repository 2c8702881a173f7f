package dev.gearbox.exchange;

import dev.gearbox.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A streamed answer: chunk events in the canonical form, with backpressure, committed once its first good
 * event has arrived.
 *
 * <p>Stages on the way up {@linkplain #observe observe} it (to cache, to price); the inbound API
 * {@linkplain #consume consumes} it, writing each event to the client and {@linkplain #pause pausing}
 * the producer while the client's queue is full. Events that arrive before the consumer is attached are
 * held (and the producer paused), so none is lost whichever way the futures complete. Confined to the
 * request's event loop.
 */
public final class AnswerStream implements Answer {

    /** How the consumer slows the producer down. */
    public interface Flow {
        void pause();

        void resume();
    }

    private final Flow flow;
    private final List<StreamObserver> taps = new ArrayList<>(2);
    private Supplier<Future<?>> endGate;
    private StreamObserver consumer;
    private List<Held> held;
    private StreamEnd heldEnd;
    private boolean pausedForHold;
    private boolean pausedByConsumer;

    private AnswerStream(Flow flow) {
        this.flow = Objects.requireNonNull(flow, "flow");
    }

    public static AnswerStream of(Flow flow) {
        return new AnswerStream(flow);
    }

    /** Adds an observer that hears every later event, before the consumer does. */
    public void observe(StreamObserver tap) {
        taps.add(Objects.requireNonNull(tap, "tap"));
    }

    /**
     * Holds the consumer's end (the client's last frame) until the future {@code gate} gives, asked for once the
     * observers have heard the end, completes either way; a stage uses it so that what the observers started at
     * the end (a settle that must be written) is done before the client learns the stream is over.
     */
    public void endAfter(Supplier<Future<?>> gate) {
        this.endGate = Objects.requireNonNull(gate, "gate");
    }

    /** Attaches the one consumer, first handing it (and the observers) whatever was held for it. */
    public void consume(StreamObserver consumer) {
        if (this.consumer != null) {
            throw new IllegalStateException("a stream has one consumer");
        }
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        if (held != null) {
            List<Held> events = held;
            held = null;
            for (Held e : events) {
                SseEvent view = new SseEvent(e.data.getBytes(), 0, e.data.length());
                if (e.hidden) {
                    deliverHidden(view);
                } else {
                    deliver(view);
                }
            }
        }
        if (heldEnd != null) {
            deliverEnd(heldEnd);
            return;
        }
        deliverFlush();
        if (pausedForHold) {
            pausedForHold = false;
            if (!pausedByConsumer) {
                flow.resume();
            }
        }
    }

    /** The consumer cannot take more for now: the producer stops until {@link #resume}. */
    public void pause() {
        pausedByConsumer = true;
        flow.pause();
    }

    public void resume() {
        pausedByConsumer = false;
        flow.resume();
    }

    /** Producer: one event for the client. */
    public void emit(SseEvent data) {
        if (consumer == null) {
            hold(data, false);
        } else {
            deliver(data);
        }
    }

    /** Producer: one event the client did not ask to see. */
    public void emitHidden(SseEvent data) {
        if (consumer == null) {
            hold(data, true);
        } else {
            deliverHidden(data);
        }
    }

    /** Producer: everything at hand has been emitted; the consumer may write it out now. */
    public void flush() {
        if (consumer != null) {
            deliverFlush();
        }
    }

    /** Producer: the stream is over. */
    public void end(StreamEnd end) {
        Objects.requireNonNull(end, "end");
        if (consumer == null) {
            heldEnd = end;
        } else {
            deliverEnd(end);
        }
    }

    private void hold(SseEvent data, boolean hidden) {
        if (held == null) {
            held = new ArrayList<>(2);
        }
        held.add(new Held(data.toBuffer(), hidden));
        if (!pausedForHold) {
            pausedForHold = true;
            flow.pause();
        }
    }

    private void deliver(SseEvent data) {
        for (StreamObserver tap : taps) {
            tap.event(data);
        }
        consumer.event(data);
    }

    private void deliverHidden(SseEvent data) {
        for (StreamObserver tap : taps) {
            tap.hidden(data);
        }
        consumer.hidden(data);
    }

    private void deliverFlush() {
        for (StreamObserver tap : taps) {
            tap.flush();
        }
        consumer.flush();
    }

    private void deliverEnd(StreamEnd end) {
        for (StreamObserver tap : taps) {
            tap.end(end);
        }
        Future<?> gate = endGate == null ? null : endGate.get();
        if (gate == null || gate.isComplete()) {
            consumer.end(end);
        } else {
            gate.onComplete(ar -> consumer.end(end));
        }
    }

    private record Held(Buffer data, boolean hidden) {
    }
}
