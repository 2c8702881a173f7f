package dev.gearbox.config;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * Where keys, rate limits, reservations and spend live.
 *
 * @param file the single-node store's file, which keeps keys and spend over a restart; null keeps them in memory
 * @param redis the store replicas share; null keeps state in this process
 * @param zone the zone whose days and months daily and monthly budgets follow
 * @param reservationTtlMs how long a reservation holds when its request never settles (a crashed replica)
 * @param defaultMaxOutputTokens the output a request without {@code max_tokens} is reserved for
 * @param softThreshold the share of a budget at which the soft-limit alert metric turns on
 * @param accounting how requests are counted in Redis unless a key's or team's policy says otherwise
 * @param leases the size and life of leases, when requests are counted {@linkplain Accounting#LEASED leased}
 */
public record StateConfig(String file, RedisConfig redis, String zone, Long reservationTtlMs,
                          Integer defaultMaxOutputTokens, Double softThreshold, Accounting accounting,
                          LeaseConfig leases) {

    public StateConfig {
        zone = zone == null || zone.isBlank() ? "UTC" : zone;
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zone: '" + zone + "' (expected: a zone id such as UTC or Europe/Paris)");
        }
        reservationTtlMs = reservationTtlMs == null ? 600_000L : reservationTtlMs;
        if (reservationTtlMs < 1000) {
            throw new IllegalArgumentException("reservation_ttl_ms: " + reservationTtlMs + " (expected: >= 1000)");
        }
        defaultMaxOutputTokens = defaultMaxOutputTokens == null ? 4096 : defaultMaxOutputTokens;
        if (defaultMaxOutputTokens < 1) {
            throw new IllegalArgumentException("default_max_output_tokens: " + defaultMaxOutputTokens + " (expected: > 0)");
        }
        softThreshold = softThreshold == null ? 0.8 : softThreshold;
        if (!(softThreshold > 0 && softThreshold <= 1)) {
            throw new IllegalArgumentException("soft_threshold: " + softThreshold + " (expected: > 0 and <= 1)");
        }
        accounting = accounting == null ? Accounting.LEASED : accounting;
        leases = leases == null ? LeaseConfig.defaults() : leases;
    }

    /** In memory only: the default without a state section. */
    public static StateConfig defaults() {
        return new StateConfig(null, null, null, null, null, null, null, null);
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }
}
