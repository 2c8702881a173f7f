package dev.gearbox.state;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A request waiting on a call shared with others: completed on its own event loop, since the call's answer
 * arrives on whichever thread sent it.
 */
record Waiter<T>(Promise<T> promise, Context context) {

    /** A waiter for the caller's event loop (none outside one: completed where the answer arrives). */
    static <T> Waiter<T> here() {
        return new Waiter<>(Promise.promise(), Vertx.currentContext());
    }

    Future<T> future() {
        return promise.future();
    }

    void complete(T value) {
        if (context == null || Vertx.currentContext() == context) {
            promise.tryComplete(value);
        } else {
            context.runOnContext(v -> promise.tryComplete(value));
        }
    }

    void fail(Throwable cause) {
        if (context == null || Vertx.currentContext() == context) {
            promise.tryFail(cause);
        } else {
            context.runOnContext(v -> promise.tryFail(cause));
        }
    }
}
