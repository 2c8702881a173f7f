package dev.gearbox.config;

/**
 * What a model's latency is expected to be before the gateway has observed it.
 *
 * @param firstTokenMs expected time to the first token
 * @param totalMs expected time to the whole answer
 */
public record LatencySeed(Long firstTokenMs, Long totalMs) {

    public LatencySeed {
        firstTokenMs = firstTokenMs == null ? 1_000L : firstTokenMs;
        totalMs = totalMs == null ? Math.max(firstTokenMs, 5_000L) : totalMs;
        if (firstTokenMs < 0) {
            throw new IllegalArgumentException("first_token_ms: " + firstTokenMs + " (expected: >= 0)");
        }
        if (totalMs < firstTokenMs) {
            throw new IllegalArgumentException("total_ms: " + totalMs + " (expected: >= first_token_ms " + firstTokenMs + ")");
        }
    }
}
