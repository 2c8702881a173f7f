package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Dollars;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The models a request falls back to after the chosen one: the route's other candidates, then its
 * {@code fallbacks}, each within what the caller may use and the request's cost budget, and none costing
 * more than {@code fallback_max_cost_ratio} times the chosen model's estimate (1 unless the route opts in),
 * so a failing cheap model never silently hands the request to one many times dearer.
 */
final class Fallbacks {

    final List<ModelConfig> models = new ArrayList<>();
    final List<Double> costs = new ArrayList<>();

    private final ModelConfig chosen;
    private final double chosenCost;
    private final double cap;
    private final double ratio;
    private final boolean optedIn;
    private final ToDoubleFunction<ModelConfig> estimate;
    private final RouteTrace trace;

    private Fallbacks(ModelConfig chosen, RouteAction action, ToDoubleFunction<ModelConfig> estimate, RouteTrace trace) {
        this.chosen = chosen;
        this.optedIn = action != null && action.fallbackMaxCostRatio() != null;
        this.ratio = action == null ? 1 : action.fallbackCostRatio();
        this.chosenCost = estimate.applyAsDouble(chosen);
        this.cap = chosenCost * ratio;
        this.estimate = estimate;
        this.trace = trace;
    }

    /**
     * @param others the route's candidates after the chosen one, already within the budgets and allowed
     * @param maxCost the request's cost budget (the route's and the header's, the tighter), or null
     * @param request the request, whose context must fit a fallback as it fits the candidates
     */
    static Fallbacks of(ModelConfig chosen, List<ModelConfig> others, RouteAction action, Catalog catalog,
                        AllowedModels allowed, Double maxCost, ToDoubleFunction<ModelConfig> estimate,
                        RequestFeatures request, RouteTrace trace) {
        Fallbacks out = new Fallbacks(chosen, action, estimate, trace);
        for (ModelConfig m : others) {
            if (!out.tooDear(m)) {
                out.add(m);
            } else if (trace != null) {
                trace.drop(m, out.whyTooDear(m));
            }
        }
        if (action == null) {
            return out;
        }
        for (String id : action.fallbacks()) {
            ModelConfig m = catalog.model(id).filter(catalog::available).orElse(null);
            if (m == null || m.equals(chosen) || out.models.contains(m)) {
                continue;
            }
            double cost = estimate.applyAsDouble(m);
            String refusedBy = allowed.refusedBy(m, catalog);
            String tooLong = ContextWindow.tooLong(m, request);
            boolean overBudget = maxCost != null && cost > maxCost;
            boolean kept = refusedBy == null && tooLong == null && !overBudget && !out.tooDear(m);
            if (kept) {
                out.add(m);
            }
            if (trace != null) {
                // Reasons are words for explain alone: a request that is not explained never builds them.
                String dropped = refusedBy != null ? "not allowed: " + refusedBy
                        : tooLong != null ? tooLong
                        : overBudget ? "estimated " + Dollars.format(cost) + " > budget " + Dollars.format(maxCost)
                        : kept ? null : out.whyTooDear(m);
                trace.candidate(m, cost, 0, kept ? "fallback" : "dropped", kept ? "a fallback of the route" : dropped);
            }
        }
        return out;
    }

    private void add(ModelConfig m) {
        models.add(m);
        costs.add(estimate.applyAsDouble(m));
    }

    /** Whether {@code m} costs too much more than the chosen model to fall back to. */
    private boolean tooDear(ModelConfig m) {
        // A chosen model without a price bounds no ratio: a route that opts in is held to its cost budgets only.
        return !(estimate.applyAsDouble(m) <= cap || optedIn && chosenCost == 0);
    }

    /** Why {@code m} is {@link #tooDear}, for explain. */
    private String whyTooDear(ModelConfig m) {
        double cost = estimate.applyAsDouble(m);
        double base = chosenCost;
        String times = base > 0 ? String.format(Locale.ROOT, "%.2f times", cost / base) : "more than";
        return "estimated " + Dollars.format(cost) + ", " + times + " the " + Dollars.format(base) + " of " + chosen.id()
                + (optedIn ? ", over the route's fallback_max_cost_ratio of " + ratio
                        : "; a dearer fallback needs the route's fallback_max_cost_ratio");
    }
}
