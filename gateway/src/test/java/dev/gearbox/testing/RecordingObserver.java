package dev.gearbox.testing;

import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.wire.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A stream consumer that keeps what it heard, as text, since the events it is handed are only views. */
public final class RecordingObserver implements StreamObserver {

    public final List<String> events = new ArrayList<>();
    public final List<String> hidden = new ArrayList<>();
    public final List<StreamEnd> ends = new ArrayList<>();
    private Consumer<String> onEvent = e -> {
    };

    /** Runs {@code action} after each event is recorded, as a consumer that writes somewhere would. */
    public RecordingObserver onEvent(Consumer<String> action) {
        this.onEvent = action;
        return this;
    }

    @Override
    public void event(SseEvent data) {
        String text = data.toString();
        events.add(text);
        onEvent.accept(text);
    }

    @Override
    public void hidden(SseEvent data) {
        hidden.add(data.toString());
    }

    @Override
    public void end(StreamEnd end) {
        ends.add(end);
    }

    /** The one end heard, or null before it. */
    public StreamEnd end() {
        if (ends.size() > 1) {
            throw new AssertionError("a stream ends once, but ended " + ends);
        }
        return ends.isEmpty() ? null : ends.get(0);
    }
}
