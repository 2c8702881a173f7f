package dev.gearbox.config;

import java.util.List;
import java.util.Objects;

/**
 * An inbound API key from the config file, the tenant (team) its requests belong to, and its own policy.
 *
 * @param key the key, from an environment variable
 * @param tenant the tenant name used in routing and metrics
 * @param name what the key is called in listings; its variable's name by default
 */
public record ApiKeyConfig(Secret key, String tenant, String name, List<String> models, Integer rpm, Integer tpm,
                           Integer maxConcurrent, BudgetUsd budgetUsd, OnBudget onBudget,
                           Accounting accounting) {

    public ApiKeyConfig {
        Objects.requireNonNull(key, "key: missing (expected: ${ENV_VAR} reference)");
        if (key.value().isBlank()) {
            throw new IllegalArgumentException("key: ${" + key.variable() + "} is empty (expected: a non-empty key)");
        }
        tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
        name = name == null || name.isBlank() ? key.variable() : name;
        new Policy(models, rpm, tpm, maxConcurrent, budgetUsd, onBudget, accounting);
    }

    /** A key with no policy of its own. */
    public ApiKeyConfig(Secret key, String tenant) {
        this(key, tenant, null, null, null, null, null, null, null, null);
    }

    public Policy policy() {
        return new Policy(models, rpm, tpm, maxConcurrent, budgetUsd, onBudget, accounting);
    }
}
