package dev.gearbox.time;

/**
 * Time for the request path: a monotonic clock and one-shot timers on the caller's event loop.
 *
 * <p>One seam for both, as Caffeine's {@code Ticker} is for its cache, so retries, deadlines and idle
 * timeouts are tested by advancing a manual scheduler instead of sleeping.
 */
public interface Scheduler {

    /** Now, in nanoseconds on an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once after {@code delayMs} (at least 1 ms) on the calling event loop. */
    Scheduled schedule(long delayMs, Runnable task);

    /** A task scheduled to run once. */
    interface Scheduled {
        /** Stops the task from running; harmless once it has run. */
        void cancel();
    }
}
