package dev.gearbox.cost;

/**
 * What an answer cost, and what it would have cost on the baseline model.
 *
 * @param usd the cost at the answering model's prices
 * @param baselineUsd the cost of the same tokens at the baseline model's prices
 */
public record Cost(double usd, double baselineUsd) {

    public static final Cost ZERO = new Cost(0, 0);

    /** What routing saved against the baseline; negative when the answering model costs more. */
    public double savingsUsd() {
        return baselineUsd - usd;
    }
}
