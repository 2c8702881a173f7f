package dev.gearbox.testing;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A stream of bytes a test writes by hand. Like a real one, it holds back what is pushed while it is paused
 * and hands it on when resumed, so backpressure can be observed. Single-threaded.
 */
public final class ManualReadStream implements ReadStream<Buffer> {

    private final Queue<Runnable> heldBack = new ArrayDeque<>();
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean paused;
    private boolean handlerCleared;
    private int pauses;

    /** Pushes text as the next bytes of the stream. */
    public ManualReadStream push(String text) {
        return deliver(() -> {
            if (handler != null) {
                handler.handle(Buffer.buffer(text));
            }
        });
    }

    /** Pushes one server-sent event with this data. */
    public ManualReadStream event(String data) {
        return push("data: " + data + "\n\n");
    }

    /** The stream ends normally. */
    public ManualReadStream end() {
        return deliver(() -> {
            if (endHandler != null) {
                endHandler.handle(null);
            }
        });
    }

    /** The stream breaks, as a reset connection does. */
    public ManualReadStream fail(Throwable failure) {
        if (exceptionHandler != null) {
            exceptionHandler.handle(failure);
        }
        return this;
    }

    public boolean paused() {
        return paused;
    }

    /** How often the reader paused the stream. */
    public int pauses() {
        return pauses;
    }

    /** Whether the reader stopped listening by clearing its handler. */
    public boolean handlerCleared() {
        return handlerCleared;
    }

    /** Pushes held back while paused. */
    public int heldBack() {
        return heldBack.size();
    }

    private ManualReadStream deliver(Runnable delivery) {
        if (paused) {
            heldBack.add(delivery);
        } else {
            delivery.run();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null && this.handler != null) {
            handlerCleared = true;
        }
        this.handler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        if (!paused) {
            pauses++;
        }
        paused = true;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        paused = false;
        while (!paused && !heldBack.isEmpty()) {
            heldBack.poll().run();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        return resume();
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }
}
