package dev.gearbox.admission;

import dev.gearbox.routing.Budget;
import dev.gearbox.wire.ApiException;
import io.vertx.core.MultiMap;

/** Reads the budget a client sets per request with headers. */
public final class Budgets {

    public static final String MAX_COST_HEADER = "x-gearbox-max-cost-usd";
    public static final String LATENCY_BUDGET_HEADER = "x-gearbox-latency-budget-ms";

    private Budgets() {
    }

    /** The budget a client set with headers; a malformed header is a 400. */
    public static Budget of(MultiMap headers) {
        String cost = headers.get(MAX_COST_HEADER);
        String latency = headers.get(LATENCY_BUDGET_HEADER);
        if (cost == null && latency == null) {
            return Budget.NONE;
        }
        Double maxCost = null;
        Long maxLatency = null;
        if (cost != null) {
            try {
                maxCost = Double.parseDouble(cost.trim());
            } catch (NumberFormatException e) {
                maxCost = Double.NaN;
            }
            if (!(maxCost > 0) || maxCost.isInfinite()) {
                throw ApiException.invalidRequest(MAX_COST_HEADER,
                        "Header " + MAX_COST_HEADER + " is '" + cost + "'; expected a positive number of US dollars.");
            }
        }
        if (latency != null) {
            try {
                maxLatency = Long.parseLong(latency.trim());
            } catch (NumberFormatException e) {
                maxLatency = -1L;
            }
            if (maxLatency <= 0) {
                throw ApiException.invalidRequest(LATENCY_BUDGET_HEADER,
                        "Header " + LATENCY_BUDGET_HEADER + " is '" + latency + "'; expected a positive whole number of milliseconds.");
            }
        }
        return new Budget(maxCost, maxLatency);
    }
}
