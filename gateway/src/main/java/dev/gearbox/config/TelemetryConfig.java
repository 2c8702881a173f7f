package dev.gearbox.config;

/**
 * What the gateway exports about requests besides its meters and access log, and how its meters name tenants.
 *
 * @param tracing traces; null leaves tracing off
 * @param maxNamedTenants how many tenants the meters name at once, the most active first; the rest are
 *                        {@code other}. Bounds the series a gateway with many teams exports
 */
public record TelemetryConfig(TracingConfig tracing, Integer maxNamedTenants) {

    public static final int DEFAULT_MAX_NAMED_TENANTS = 100;

    public TelemetryConfig {
        maxNamedTenants = maxNamedTenants == null ? DEFAULT_MAX_NAMED_TENANTS : maxNamedTenants;
        if (maxNamedTenants < 0) {
            throw new IllegalArgumentException("max_named_tenants: " + maxNamedTenants + " (expected: >= 0)");
        }
    }

    /** No traces, the default cap on named tenants. */
    public static TelemetryConfig none() {
        return new TelemetryConfig(null, null);
    }
}
