package dev.gearbox.providers;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot signal that the caller no longer wants an answer, usually because the client went away.
 *
 * <p>Providers register what undoes their work (resetting an HTTP request, cancelling a timer). It is
 * confined to the request's event loop, so it needs no locking.
 */
public final class Cancellation {

    private List<Runnable> actions = new ArrayList<>(2);
    private boolean cancelled;

    /** Runs {@code action} on cancellation, at once if already cancelled. */
    public void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            actions.add(action);
        }
    }

    /** Signals cancellation; runs each registered action once. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        List<Runnable> toRun = actions;
        actions = List.of();
        for (Runnable action : toRun) {
            action.run();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
