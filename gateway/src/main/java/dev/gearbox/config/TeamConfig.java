package dev.gearbox.config;

import java.util.List;

/**
 * A team (tenant) from the config file and its policy, which every key of the team is held to.
 */
public record TeamConfig(String id, List<String> models, Integer rpm, Integer tpm, Integer maxConcurrent,
                         BudgetUsd budgetUsd, OnBudget onBudget, Accounting accounting) {

    public TeamConfig {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id: missing (expected: the team's name)");
        }
        policy(models, rpm, tpm, maxConcurrent, budgetUsd, onBudget, accounting);
    }

    public Policy policy() {
        return policy(models, rpm, tpm, maxConcurrent, budgetUsd, onBudget, accounting);
    }

    private static Policy policy(List<String> models, Integer rpm, Integer tpm, Integer maxConcurrent,
                                 BudgetUsd budgetUsd, OnBudget onBudget, Accounting accounting) {
        return new Policy(models, rpm, tpm, maxConcurrent, budgetUsd, onBudget, accounting);
    }
}
