package dev.gearbox.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How hard a reasoning model thinks: OpenAI's {@code reasoning_effort}, which other providers' translators
 * map to their own (Anthropic's thinking budget). Ordered from least to most.
 */
public enum Effort {
    NONE(0),
    MINIMAL(0.25),
    LOW(0.5),
    MEDIUM(1),
    HIGH(2);

    private final double reasoningShare;

    Effort(double reasoningShare) {
        this.reasoningShare = reasoningShare;
    }

    /**
     * Reasoning tokens at this effort as a share of a model's {@code expected_reasoning_tokens}, which the
     * catalog gives at OpenAI's default effort, medium. A rough guide for the cost estimate: low thinks about
     * half as long, high about twice.
     */
    public double reasoningShare() {
        return reasoningShare;
    }

    @JsonCreator
    public static Effort parse(String text) {
        Effort effort = ofWire(text);
        if (effort == null) {
            throw new IllegalArgumentException("effort: '" + text + "' (expected: none, minimal, low, medium or high)");
        }
        return effort;
    }

    /** The effort a client's {@code reasoning_effort} names, or null for none or a value not known here. */
    public static Effort ofWire(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
