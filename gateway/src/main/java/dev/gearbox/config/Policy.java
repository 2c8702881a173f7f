package dev.gearbox.config;

import java.util.List;

/**
 * What a key or a team may do; a null limit is no limit. A key's effective limit is the tighter of its own
 * and its team's.
 *
 * @param models the models, aliases or tiers it may ask for; empty allows all
 * @param rpm requests per minute
 * @param tpm tokens (input and output) per minute
 * @param maxConcurrent requests in flight at once
 * @param budgetUsd spend budgets
 * @param onBudget what happens once a budget is reached
 * @param accounting how its limits are counted across replicas; null follows {@code state.accounting}
 */
public record Policy(List<String> models, Integer rpm, Integer tpm, Integer maxConcurrent, BudgetUsd budgetUsd,
                     OnBudget onBudget, Accounting accounting) {

    public static final Policy NONE = new Policy(null, null, null, null, null, null, null);

    public Policy {
        models = models == null ? List.of() : List.copyOf(models);
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) == null || models.get(i).isBlank()) {
                throw new IllegalArgumentException("models[" + i + "]: empty (expected: a model id, alias or tier)");
            }
        }
        positive("rpm", rpm);
        positive("tpm", tpm);
        positive("max_concurrent", maxConcurrent);
        budgetUsd = budgetUsd == null ? BudgetUsd.NONE : budgetUsd;
        onBudget = onBudget == null ? OnBudget.BLOCK : onBudget;
    }

    private static void positive(String field, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }
}
