package dev.gearbox.config;

/**
 * How calls to one model deployment are protected: timeouts, retries, circuit breaker and bulkhead.
 * Every field may be left out of an override, which then inherits it from the defaults.
 *
 * @param firstByteTimeoutMs time allowed until upstream's first byte (the response head, or the first event of a stream)
 * @param idleTimeoutMs time allowed between two chunks of a stream
 * @param totalTimeoutMs time allowed for the whole call, retries and fallbacks included
 * @param maxAttempts calls to this deployment per request, the first included
 * @param backoffInitialMs wait before the first retry
 * @param backoffMaxMs the longest wait between retries
 * @param backoffJitter how far a wait may stray from its exponential value, as a fraction (0..1)
 * @param retryBudgetRatio retries allowed per request over time, so retries cannot multiply load in an outage
 * @param breakerFailureRate percentage of failed calls in the window that opens the breaker
 * @param breakerSlowCallRate percentage of slow calls in the window that opens the breaker
 * @param breakerSlowCallMs a call slower than this to its first byte counts as slow
 * @param breakerWindow calls in the sliding window
 * @param breakerMinimumCalls calls needed before the rates count
 * @param breakerOpenMs how long the breaker stays open before letting probes through
 * @param breakerHalfOpenCalls probe calls allowed when half-open
 * @param maxConcurrent concurrent calls allowed; the excess goes to the next candidate. The default matches a
 *     provider's default pool ({@link ProviderConfig#DEFAULT_MAX_CONNECTIONS}), since a streamed call holds its
 *     place as long as its connection
 */
public record ResiliencePolicy(
        Long firstByteTimeoutMs, Long idleTimeoutMs, Long totalTimeoutMs, Integer maxAttempts, Long backoffInitialMs,
        Long backoffMaxMs, Double backoffJitter, Double retryBudgetRatio, Float breakerFailureRate, Float breakerSlowCallRate,
        Long breakerSlowCallMs, Integer breakerWindow, Integer breakerMinimumCalls, Long breakerOpenMs,
        Integer breakerHalfOpenCalls, Integer maxConcurrent) {

    /** The built-in defaults, which the config's defaults and per-model overrides refine. */
    public static final ResiliencePolicy DEFAULTS = new ResiliencePolicy(60_000L, 30_000L, 300_000L, 2, 200L, 2_000L,
            0.5, 0.2, 50f, 100f, 60_000L, 20, 10, 30_000L, 2,
            ProviderConfig.DEFAULT_MAX_CONNECTIONS);

    public ResiliencePolicy {
        positive("first_byte_timeout_ms", firstByteTimeoutMs);
        positive("idle_timeout_ms", idleTimeoutMs);
        positive("total_timeout_ms", totalTimeoutMs);
        positive("max_attempts", maxAttempts);
        positive("backoff_initial_ms", backoffInitialMs);
        positive("backoff_max_ms", backoffMaxMs);
        positive("breaker_slow_call_ms", breakerSlowCallMs);
        positive("breaker_window", breakerWindow);
        positive("breaker_minimum_calls", breakerMinimumCalls);
        positive("breaker_open_ms", breakerOpenMs);
        positive("breaker_half_open_calls", breakerHalfOpenCalls);
        positive("max_concurrent", maxConcurrent);
        fraction("backoff_jitter", backoffJitter, 1);
        fraction("retry_budget_ratio", retryBudgetRatio, 10);
        percentage("breaker_failure_rate", breakerFailureRate);
        percentage("breaker_slow_call_rate", breakerSlowCallRate);
    }

    /** This policy with every field the override sets taken from the override. */
    public ResiliencePolicy with(ResiliencePolicy o) {
        if (o == null) {
            return this;
        }
        return new ResiliencePolicy(
                pick(o.firstByteTimeoutMs, firstByteTimeoutMs), pick(o.idleTimeoutMs, idleTimeoutMs),
                pick(o.totalTimeoutMs, totalTimeoutMs), pick(o.maxAttempts, maxAttempts),
                pick(o.backoffInitialMs, backoffInitialMs), pick(o.backoffMaxMs, backoffMaxMs),
                pick(o.backoffJitter, backoffJitter), pick(o.retryBudgetRatio, retryBudgetRatio),
                pick(o.breakerFailureRate, breakerFailureRate), pick(o.breakerSlowCallRate, breakerSlowCallRate),
                pick(o.breakerSlowCallMs, breakerSlowCallMs), pick(o.breakerWindow, breakerWindow),
                pick(o.breakerMinimumCalls, breakerMinimumCalls), pick(o.breakerOpenMs, breakerOpenMs),
                pick(o.breakerHalfOpenCalls, breakerHalfOpenCalls), pick(o.maxConcurrent, maxConcurrent));
    }

    private static <T> T pick(T override, T base) {
        return override != null ? override : base;
    }

    private static void positive(String field, Number value) {
        if (value != null && value.doubleValue() <= 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }

    private static void fraction(String field, Double value, double max) {
        if (value != null && (value < 0 || value > max)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0.." + (int) max + ")");
        }
    }

    private static void percentage(String field, Float value) {
        if (value != null && (value <= 0 || value > 100)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: a percentage, 0 < rate <= 100)");
        }
    }
}
