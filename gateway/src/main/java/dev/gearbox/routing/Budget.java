package dev.gearbox.routing;

/**
 * Per-request limits a client may set with headers, on top of the route's own.
 *
 * @param maxCostUsd from {@code x-gearbox-max-cost-usd}, or null
 * @param latencyBudgetMs from {@code x-gearbox-latency-budget-ms}, or null
 */
public record Budget(Double maxCostUsd, Long latencyBudgetMs) {

    public static final Budget NONE = new Budget(null, null);

    /** The tighter of two optional limits. */
    static Double min(Double a, Double b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.min(a, b);
    }

    static Long min(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.min(a, b);
    }
}
