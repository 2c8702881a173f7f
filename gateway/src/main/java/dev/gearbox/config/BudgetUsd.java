package dev.gearbox.config;

/**
 * Spend budgets in US dollars; a null one is unlimited. Days and months are those of the state's zone.
 *
 * @param daily per calendar day
 * @param monthly per calendar month
 * @param total over the key's or team's whole life
 */
public record BudgetUsd(Double daily, Double monthly, Double total) {

    public static final BudgetUsd NONE = new BudgetUsd(null, null, null);

    public BudgetUsd {
        check("daily", daily);
        check("monthly", monthly);
        check("total", total);
    }

    private static void check(String field, Double value) {
        if (value != null && !(value > 0 && value < 1e9)) {
            throw new IllegalArgumentException("budget_usd." + field + ": " + value + " (expected: > 0 and < 1e9)");
        }
    }
}
