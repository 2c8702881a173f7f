package dev.gearbox.server;

import dev.gearbox.http.InFlight;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The end of a shutdown's wait for requests in flight: they have the drain time to finish; whatever is
 * still running then is interrupted ({@link InFlight#shutDownAll}: a stream ends with its API's error event,
 * a request not yet answered gets 503) and given a short grace to write that and settle its spend, so the
 * store that closes next has every settle, and no client is left with a bare end of connection.
 */
final class Drain {

    /** Time for interrupted requests to write their last event and settle; they do both at once. */
    static final long INTERRUPT_GRACE_MS = 5_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Drain() {
    }

    /**
     * Waits for the requests in flight; called from a shutdown hook or a test, never from an event loop, so
     * waiting here blocks no request.
     *
     * @return how many requests were still in flight after the grace (their spend may be lost)
     */
    static int await(InFlight inFlight, long drainMs) {
        if (waitFor(inFlight, drainMs)) {
            return 0;
        }
        inFlight.shutDownAll();
        waitFor(inFlight, INTERRUPT_GRACE_MS);
        return inFlight.count();
    }

    private static boolean waitFor(InFlight inFlight, long ms) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (inFlight.count() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }
}
