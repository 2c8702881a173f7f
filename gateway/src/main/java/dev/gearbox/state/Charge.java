package dev.gearbox.state;

import java.util.Objects;

/**
 * What a settled request actually used, charged to its scopes and written to the usage ledger.
 *
 * @param key the key's id, or null for a request without one
 * @param model the model that answered, or {@code none}
 * @param costNanos its cost at list prices; 0 for a cache hit
 * @param baselineNanos what the baseline model would have cost
 */
public record Charge(String key, String model, long costNanos, long baselineNanos, long promptTokens,
                     long completionTokens) {

    public static final Charge NOTHING = new Charge(null, "none", 0, 0, 0, 0);

    public Charge {
        Objects.requireNonNull(model, "model");
    }

    public long tokens() {
        return promptTokens + completionTokens;
    }
}
