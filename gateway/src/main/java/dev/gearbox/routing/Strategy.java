package dev.gearbox.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a route orders its candidate models; the first is tried first, the rest are fallbacks. */
public enum Strategy {
    /** As listed. */
    ORDERED,
    /** At random, in proportion to weights. */
    WEIGHTED,
    /** Lowest estimated cost first. */
    CHEAPEST,
    /** Lowest expected latency first. */
    FASTEST;

    @JsonCreator
    public static Strategy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy: '" + text + "' (expected: ordered, weighted, cheapest or fastest)");
        }
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
