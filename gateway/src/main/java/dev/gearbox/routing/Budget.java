package dev.gearbox.routing;

/**
 * Per-request limits a client may set with headers, on top of the route's own.
 *
 * @param maxCostUsd from {@code x-gearbox-max-cost-usd}, or null
 * @param latencyBudgetMs from {@code x-gearbox-latency-budget-ms}, or null
 * @param downgrade why the request must go to the cheapest model (its team's spend budget is reached, and
 *     its policy says downgrade), said in the route note; null otherwise
 */
public record Budget(Double maxCostUsd, Long latencyBudgetMs, String downgrade) {

    public static final Budget NONE = new Budget(null, null);

    public Budget(Double maxCostUsd, Long latencyBudgetMs) {
        this(maxCostUsd, latencyBudgetMs, null);
    }

    /** This budget, with the request sent to the cheapest model for {@code reason}. */
    public Budget downgraded(String reason) {
        return new Budget(maxCostUsd, latencyBudgetMs, reason);
    }

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
