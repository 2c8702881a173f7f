package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** What admission does with a request once a spend budget is reached. */
public enum OnBudget {
    /** Refuse with 429 {@code insufficient_quota}. */
    BLOCK,
    /** Serve it on the cheap tier and say so in {@code x-gearbox-route-note}. */
    DOWNGRADE;

    @JsonCreator
    public static OnBudget parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("on_budget: '" + text + "' (expected: block or downgrade)");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
