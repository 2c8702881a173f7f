package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * How a request's limits and spend are counted in a shared store. {@code leased}: each replica takes a slice
 * of a limit (a lease) in one call and spends it locally, settling in batches; {@code exact}: one round trip
 * before each request and one after it, for low-volume, high-value budgets. Both keep the same bound on spend.
 */
public enum Accounting {
    LEASED, EXACT;

    @JsonCreator
    public static Accounting parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("accounting: '" + text + "' (expected: leased or exact)");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
