package dev.gearbox.config;

/**
 * The response cache.
 *
 * @param enabled whether answers are cached at all; routes may still turn it off
 * @param maxBytes the most bytes of answers kept; the least useful go first
 * @param ttlSeconds how long an answer is kept
 */
public record CacheConfig(Boolean enabled, Long maxBytes, Long ttlSeconds) {

    public CacheConfig {
        enabled = enabled == null || enabled;
        maxBytes = maxBytes == null ? 64L * 1024 * 1024 : maxBytes;
        ttlSeconds = ttlSeconds == null ? 3600L : ttlSeconds;
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("max_bytes: " + maxBytes + " (expected: >= 1024)");
        }
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("ttl_seconds: " + ttlSeconds + " (expected: > 0)");
        }
    }

    public static CacheConfig defaults() {
        return new CacheConfig(null, null, null);
    }
}
