package dev.gearbox.config;

/**
 * How big the leases replicas take from a shared store are, and how long they last.
 *
 * @param budgetShare the most of a budget's remaining room one lease adds beyond what its requests need now;
 *                    the bound on spend past a budget when leases are lost is this share per replica
 * @param rateShare the same for requests and tokens per minute and requests in flight
 * @param ttlMs how long a lease its replica stops renewing (a crash) holds before it returns to the pool
 * @param settleIntervalMs how long a replica gathers a team's settles before writing them in one call
 */
public record LeaseConfig(Double budgetShare, Double rateShare, Long ttlMs, Long settleIntervalMs) {

    public LeaseConfig {
        budgetShare = budgetShare == null ? 0.005 : budgetShare;
        if (!(budgetShare > 0 && budgetShare <= 0.5)) {
            throw new IllegalArgumentException("budget_share: " + budgetShare + " (expected: > 0 and <= 0.5)");
        }
        rateShare = rateShare == null ? 0.1 : rateShare;
        if (!(rateShare > 0 && rateShare <= 0.5)) {
            throw new IllegalArgumentException("rate_share: " + rateShare + " (expected: > 0 and <= 0.5)");
        }
        ttlMs = ttlMs == null ? 10_000L : ttlMs;
        if (ttlMs < 1000) {
            throw new IllegalArgumentException("ttl_ms: " + ttlMs + " (expected: >= 1000)");
        }
        settleIntervalMs = settleIntervalMs == null ? 2L : settleIntervalMs;
        if (settleIntervalMs < 0 || settleIntervalMs > 1000) {
            throw new IllegalArgumentException("settle_interval_ms: " + settleIntervalMs + " (expected: >= 0 and <= 1000)");
        }
    }

    public static LeaseConfig defaults() {
        return new LeaseConfig(null, null, null, null);
    }
}
