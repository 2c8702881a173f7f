package dev.gearbox.resilience;

/**
 * A token bucket that bounds retries to a share of requests, so that in an outage retries cannot
 * multiply the load on a struggling provider. Each request adds {@code ratio} tokens, each retry takes
 * one; a small reserve lets a quiet deployment retry at all. Thread-safe.
 */
public final class RetryBudget {

    private final double ratio;
    private final double reserve;
    private double tokens;

    /**
     * @param ratio retries allowed per request, e.g. 0.2
     * @param reserve the most tokens that accumulate, also the starting amount
     */
    public RetryBudget(double ratio, double reserve) {
        this.ratio = ratio;
        this.reserve = reserve;
        this.tokens = reserve;
    }

    /** Counts a request. */
    public synchronized void onRequest() {
        tokens = Math.min(reserve, tokens + ratio);
    }

    /** Takes one retry from the budget; false when it is spent. */
    public synchronized boolean tryRetry() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
