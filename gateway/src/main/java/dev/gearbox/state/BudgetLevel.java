package dev.gearbox.state;

/**
 * How much of one budget of a team is spent.
 *
 * @param soft whether the spend has reached the soft threshold, at which an alert should fire
 */
public record BudgetLevel(String team, Period period, long budgetNanos, long spentNanos, boolean soft) {

    public double remainingUsd() {
        return Limits.usd(Math.max(0, budgetNanos - spentNanos));
    }
}
