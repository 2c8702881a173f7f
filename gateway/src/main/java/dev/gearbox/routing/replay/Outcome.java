package dev.gearbox.routing.replay;

import dev.gearbox.routing.RouteDecision;

/**
 * Where one replayed request went under one version of the rules, or why it could go nowhere.
 *
 * @param decision the decision, or null when routing refused the request
 * @param error why routing refused it, or null
 */
public record Outcome(RouteDecision decision, String error) {

    /** What a refused request counts as, in tier shares and moves. */
    public static final String ERROR = "error";

    public Outcome {
        if ((decision == null) == (error == null)) {
            throw new IllegalArgumentException("an outcome is a decision or an error, exactly one");
        }
    }

    public String route() {
        return decision == null ? ERROR : decision.route();
    }

    public String tier() {
        return decision == null ? ERROR : decision.tier();
    }

    public String model() {
        return decision == null ? ERROR : decision.model().id();
    }

    /** The estimated cost on the chosen model; nothing for a refused request. */
    public double costUsd() {
        return decision == null ? 0 : decision.estimatedCostUsd();
    }
}
