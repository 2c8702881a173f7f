package dev.gearbox.exchange;

import dev.gearbox.providers.Cancellation;

/**
 * Whether the work for a request was stopped before its answer was over, and why: the client went away, or the
 * gateway is shutting down and can wait no longer. Whatever works for the request registers here what stops it;
 * the first interruption says why, and later ones change nothing.
 */
public final class Interrupts {

    private final Cancellation cancellation = new Cancellation();
    private Interruption why;

    Interrupts() {
    }

    /** Runs {@code action} when the request is interrupted; at once if it already was. */
    public void onInterrupt(Runnable action) {
        cancellation.onCancel(action);
    }

    /** The client went away: whatever works for it stops. */
    public void clientGone() {
        interrupt(Interruption.CLIENT_GONE);
    }

    /** The gateway is shutting down and can wait no longer: whatever works for it stops, and the client is told. */
    public void shutDown() {
        interrupt(Interruption.SHUTDOWN);
    }

    private void interrupt(Interruption reason) {
        if (why == null) {
            why = reason;
        }
        cancellation.cancel();
    }

    public boolean interrupted() {
        return why != null;
    }

    /** Why the request was interrupted; null while it was not. */
    public Interruption why() {
        return why;
    }
}
