package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import java.util.Objects;

/**
 * The Redis that replicas share their keys, limits and spend through.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}
 * @param onUnavailable what admission does while Redis cannot be reached
 * @param timeoutMs how long a command may wait for Redis's answer before Redis counts as unreachable; within
 *                  every request's deadline, so the fail mode answers before the deadline does
 */
public record RedisConfig(String url, OnUnavailable onUnavailable, Long timeoutMs) {

    public static final long DEFAULT_TIMEOUT_MS = 1000;

    public RedisConfig {
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout_ms: " + timeoutMs + " (expected: > 0)");
        }
        Objects.requireNonNull(url, "url: missing (expected: redis://host:port)");
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException("url: '" + url + "' (expected: redis://host:port or rediss://host:port)");
        }
        onUnavailable = onUnavailable == null ? OnUnavailable.FAIL_CLOSED : onUnavailable;
    }

    /** What admission does while Redis cannot be reached. */
    public enum OnUnavailable {
        /** Serve, counting in this replica alone until Redis is back. */
        FAIL_OPEN,
        /** Refuse with 503. */
        FAIL_CLOSED;

        @JsonCreator
        public static OnUnavailable parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("on_unavailable: '" + text + "' (expected: fail_open or fail_closed)");
            }
        }
    }
}
