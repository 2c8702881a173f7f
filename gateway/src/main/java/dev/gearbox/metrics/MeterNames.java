package dev.gearbox.metrics;

/**
 * The names and tags of every meter the gateway registers, lower-case and dotted. OpenTelemetry's GenAI
 * names are used where one exists; Prometheus renders dots as underscores.
 */
public final class MeterNames {

    /** Retries of a call to the same model, by {@code model} and {@code reason}. */
    public static final String RETRIES = "gearbox.retries";
    /** Calls that moved on from a model to the next candidate, by {@code model} and {@code reason}. */
    public static final String FALLBACKS = "gearbox.fallbacks";

    public static final String TAG_MODEL = "model";
    public static final String TAG_REASON = "reason";

    private MeterNames() {
    }
}
