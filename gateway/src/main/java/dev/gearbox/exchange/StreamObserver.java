package dev.gearbox.exchange;

import dev.gearbox.wire.SseEvent;

/** Hears the events of a streamed answer and its end. */
public interface StreamObserver {

    /** One event of the answer for the client; a view valid only during the call. */
    void event(SseEvent data);

    /** An event of the answer the client did not ask to see, such as a usage-only chunk. */
    default void hidden(SseEvent data) {
    }

    /**
     * The producer has handed over all it has for now (what one upstream read held): what was written since
     * the last flush may go to the client in one write. Consumers that hold writes back until here write the
     * rest at {@link #end}.
     */
    default void flush() {
    }

    /** The stream is over; called exactly once. */
    void end(StreamEnd end);
}
