package dev.gearbox.state;

/**
 * One line of the usage ledger: a team's use of a model through a key on a day.
 *
 * @param key the key's id, or {@code -} for requests without one
 */
public record UsageRow(String day, String key, String model, long requests, long costNanos, long baselineNanos,
                       long promptTokens, long completionTokens) {
}
