package dev.gearbox.api;

import dev.gearbox.routing.Budget;
import dev.gearbox.routing.RoutingException;
import io.vertx.core.MultiMap;

/** Reads a request's budget headers and maps routing failures to the errors clients see. */
public final class Budgets {

    static final String MAX_COST_HEADER = "x-gearbox-max-cost-usd";
    static final String LATENCY_BUDGET_HEADER = "x-gearbox-latency-budget-ms";

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

    static ApiException toApiException(RoutingException e) {
        return switch (e.kind()) {
            case UNKNOWN_MODEL -> new ApiException(404, "invalid_request_error", "model_not_found", "model", e.getMessage());
            case WRONG_MODEL -> ApiException.invalidRequest("model", e.getMessage());
            case OVER_BUDGET -> new ApiException(400, "invalid_request_error", "over_budget", null, e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "server_error", "no_model_available", null, e.getMessage());
        };
    }
}
