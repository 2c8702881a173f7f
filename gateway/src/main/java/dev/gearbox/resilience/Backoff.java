package dev.gearbox.resilience;

import dev.gearbox.config.ResiliencePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;

/** How long to wait before a retry: exponential with jitter, and never less than upstream's {@code Retry-After}. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * @param retry 1 for the first retry, 2 for the second, ...
     * @param retryAfterMs what upstream asked for, or -1
     */
    public static long delayMs(ResiliencePolicy policy, int retry, long retryAfterMs, RandomGenerator random) {
        double exponential = Math.min(policy.backoffMaxMs(), policy.backoffInitialMs() * Math.pow(2, retry - 1));
        double jitter = 1 + policy.backoffJitter() * (random.nextDouble() * 2 - 1);
        long delay = Math.round(exponential * jitter);
        return Math.max(delay, retryAfterMs);
    }

    /** A {@code Retry-After} value in milliseconds: delta-seconds or an HTTP date; -1 when absent or unreadable. */
    public static long retryAfterMs(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.trim();
        try {
            return Math.max(0, Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(clock.instant(), at.toInstant()).toMillis());
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }
}
