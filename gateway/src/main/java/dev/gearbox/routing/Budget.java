package dev.gearbox.routing;

import java.util.Objects;

/**
 * Per-request limits on where a request may go, on top of the route's own: those a client sets with
 * headers, and those of its key and team.
 *
 * @param maxCostUsd from {@code x-gearbox-max-cost-usd}, or null
 * @param latencyBudgetMs from {@code x-gearbox-latency-budget-ms}, or null
 * @param downgrade why the request must go to the cheapest model (its team's spend budget is reached, and
 *     its policy says downgrade), said in the route note; null otherwise
 * @param models the models its key and team allow it to be served by; candidates and fallbacks alike
 */
public record Budget(Double maxCostUsd, Long latencyBudgetMs, String downgrade, AllowedModels models) {

    public static final Budget NONE = new Budget(null, null);

    public Budget {
        Objects.requireNonNull(models, "models");
    }

    public Budget(Double maxCostUsd, Long latencyBudgetMs) {
        this(maxCostUsd, latencyBudgetMs, null, AllowedModels.ANY);
    }

    /** This budget, with the request sent to the cheapest model for {@code reason}. */
    public Budget downgraded(String reason) {
        return new Budget(maxCostUsd, latencyBudgetMs, reason, models);
    }

    /** This budget, served only by {@code allowed} models. */
    public Budget allowing(AllowedModels allowed) {
        return new Budget(maxCostUsd, latencyBudgetMs, downgrade, allowed);
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
