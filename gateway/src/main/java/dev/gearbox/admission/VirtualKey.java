package dev.gearbox.admission;

import dev.gearbox.config.Policy;
import java.util.Objects;

/**
 * A key as the gateway keeps it: never the secret, only its hash.
 *
 * @param id what the key is called in the admin API, logs and usage
 * @param expiresAtMs epoch milliseconds after which it is refused; null never
 * @param revokedAtMs when it was revoked; null while it is not
 * @param fromConfig whether it comes from the config file (and so cannot be changed through the admin API)
 */
public record VirtualKey(String id, String team, String name, String hash, Policy policy, Long expiresAtMs,
                         Long revokedAtMs, long createdAtMs, boolean fromConfig) {

    public VirtualKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(hash, "hash");
        policy = policy == null ? Policy.NONE : policy;
        name = name == null ? id : name;
    }

    /** Whether it may be used at {@code nowMs}. */
    public boolean usable(long nowMs) {
        return revokedAtMs == null && (expiresAtMs == null || nowMs < expiresAtMs);
    }

    VirtualKey revoked(long nowMs) {
        return new VirtualKey(id, team, name, hash, policy, expiresAtMs, nowMs, createdAtMs, fromConfig);
    }
}
