package dev.gearbox.config;

import java.net.URI;
import java.util.Map;

/**
 * Traces, exported with OTLP over HTTP (protobuf). Present means on.
 *
 * @param endpoint the collector's traces URL, such as {@code http://collector:4318/v1/traces}
 * @param headers headers sent with every export, such as a collector's key (as a {@code ${ENV_VAR}})
 * @param samplingRatio the share of traces kept when the caller sent no sampled trace context, 0..1
 * @param serviceName the {@code service.name} of the spans
 * @param exportIntervalMs how long spans may wait in the queue before a batch is sent
 */
public record TracingConfig(String endpoint, Map<String, String> headers, Double samplingRatio, String serviceName,
                            Long exportIntervalMs) {

    public TracingConfig {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException(
                    "endpoint: missing (expected: an OTLP/HTTP traces URL such as http://collector:4318/v1/traces)");
        }
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: an http(s) URL)");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: an http(s) URL)");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
        if (!(samplingRatio >= 0 && samplingRatio <= 1)) {
            throw new IllegalArgumentException("sampling_ratio: " + number(samplingRatio) + " (expected: 0..1)");
        }
        serviceName = serviceName == null ? "gearbox" : serviceName;
        if (serviceName.isBlank()) {
            throw new IllegalArgumentException("service_name: blank (expected: a name such as gearbox)");
        }
        exportIntervalMs = exportIntervalMs == null ? 5_000L : exportIntervalMs;
        if (exportIntervalMs < 1 || exportIntervalMs > 60_000) {
            throw new IllegalArgumentException("export_interval_ms: " + exportIntervalMs + " (expected: 1..60000)");
        }
    }

    /** 2.0 reads as 2, as the operator wrote it. */
    private static String number(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
