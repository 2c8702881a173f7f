package dev.gearbox.state;

/**
 * How leases are sized and kept.
 *
 * @param budgetShare the most of a budget's remaining room a call adds beyond what is needed now
 * @param rateShare the same for requests and tokens per minute and requests in flight
 * @param ttlMs how long a lease lasts after its last call
 */
public record LeaseTerms(double budgetShare, double rateShare, long ttlMs) {

    public LeaseTerms {
        if (!(budgetShare > 0 && budgetShare <= 0.5)) {
            throw new IllegalArgumentException("budgetShare: " + budgetShare + " (expected: > 0 and <= 0.5)");
        }
        if (!(rateShare > 0 && rateShare <= 0.5)) {
            throw new IllegalArgumentException("rateShare: " + rateShare + " (expected: > 0 and <= 0.5)");
        }
        if (ttlMs < 1000) {
            throw new IllegalArgumentException("ttlMs: " + ttlMs + " (expected: >= 1000)");
        }
    }
}
