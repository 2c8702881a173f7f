package dev.gearbox.config;

import java.util.Objects;

/**
 * An inbound API key and the tenant its requests belong to.
 *
 * @param key the key, from an environment variable
 * @param tenant the tenant name used in routing and metrics
 */
public record ApiKeyConfig(Secret key, String tenant) {

    public ApiKeyConfig {
        Objects.requireNonNull(key, "key: missing (expected: ${ENV_VAR} reference)");
        if (key.value().isBlank()) {
            throw new IllegalArgumentException("key: ${" + key.variable() + "} is empty (expected: a non-empty key)");
        }
        tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
    }
}
