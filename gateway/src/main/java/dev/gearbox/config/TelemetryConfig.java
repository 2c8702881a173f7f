package dev.gearbox.config;

/**
 * What the gateway exports about requests besides its meters and access log.
 *
 * @param tracing traces; null leaves tracing off
 */
public record TelemetryConfig(TracingConfig tracing) {

    /** No traces. */
    public static TelemetryConfig none() {
        return new TelemetryConfig(null);
    }
}
