package dev.gearbox.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a route does when every candidate is over the request's budget. */
public enum OverBudget {
    /** Send the request to the cheapest model that can serve it anyway. */
    CHEAPEST,
    /** Refuse with 400, giving the estimate and the budget. */
    REJECT;

    @JsonCreator
    public static OverBudget parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("on_over_budget: '" + text + "' (expected: cheapest or reject)");
        }
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
