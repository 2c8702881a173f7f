package dev.gearbox.providers.simulated;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * A read stream that emits prepared buffers, each after its own delay, honouring backpressure.
 *
 * <p>Emission starts when a data handler is set. Confined to the context it was made on.
 */
final class TimedStream implements ReadStream<Buffer> {

    private final Context context;
    private final List<Buffer> items;
    private final long[] delaysMs;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private long demand = Long.MAX_VALUE;
    private int next;
    private boolean scheduled;
    private boolean stopped;
    private long timerId = -1;

    TimedStream(Context context, List<Buffer> items, long[] delaysMs) {
        if (items.size() != delaysMs.length) {
            throw new IllegalArgumentException("delays: " + delaysMs.length + " (expected: one per item, " + items.size() + ")");
        }
        this.context = context;
        this.items = items;
        this.delaysMs = delaysMs;
    }

    /** Stops emitting; no further data or end is delivered. */
    void stop() {
        stopped = true;
        if (timerId >= 0) {
            context.owner().cancelTimer(timerId);
        }
    }

    @Override
    public TimedStream exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public TimedStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        schedule();
        return this;
    }

    @Override
    public TimedStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public TimedStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public TimedStream fetch(long amount) {
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public TimedStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    private void schedule() {
        if (scheduled || stopped || handler == null || demand == 0 || next > items.size()) {
            return;
        }
        scheduled = true;
        long delay = next < items.size() ? delaysMs[next] : 0;
        if (delay > 0) {
            timerId = context.owner().setTimer(delay, id -> emit());
        } else {
            context.runOnContext(v -> emit());
        }
    }

    private void emit() {
        scheduled = false;
        timerId = -1;
        if (stopped) {
            return;
        }
        if (next == items.size()) {
            next++;
            if (endHandler != null) {
                endHandler.handle(null);
            }
            return;
        }
        Buffer item = items.get(next++);
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        handler.handle(item);
        schedule();
    }
}
