package dev.gearbox.upstream;

import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.resilience.Backoff;
import io.vertx.core.MultiMap;
import java.util.random.RandomGenerator;

/**
 * Decides what follows a failed attempt, apart from the client and its timers (as Armeria's
 * {@code RetryRule}): the request's own fault stops; a retryable failure is retried with exponential
 * backoff and jitter, never sooner than {@code Retry-After}, while attempts last and the wait fits the
 * time left; anything else moves on to the next candidate.
 */
public final class RetryRule {

    /** The header the OpenAI and Anthropic SDKs number their own retries with: 0 on the first try. */
    static final String CLIENT_RETRY_HEADER = "x-stainless-retry-count";

    private final RandomGenerator random;

    private RetryRule(RandomGenerator random) {
        this.random = random;
    }

    /** @param random jitter for the backoff */
    public static RetryRule of(RandomGenerator random) {
        return new RetryRule(random);
    }

    /**
     * @param attempt the attempts made on this model so far, the failed one included (1 after the first)
     * @param remainingMs the time left before the request's deadline
     */
    public RetryDecision decide(Failure failure, int attempt, ResiliencePolicy policy, long remainingMs) {
        return decide(failure, attempt, policy.maxAttempts(), policy, remainingMs);
    }

    /**
     * Calls allowed per model. A client that says it is retrying gets one: its own retries and the
     * gateway's would multiply, 2 SDK retries by 2 attempts making 6 calls to a failing model. Fallbacks to
     * other models still apply.
     */
    public static int maxAttempts(ResiliencePolicy policy, MultiMap requestHeaders) {
        String retry = requestHeaders.get(CLIENT_RETRY_HEADER);
        if (retry != null && !retry.isBlank() && !"0".equals(retry.trim())) {
            return 1;
        }
        return policy.maxAttempts();
    }

    /** @param maxAttempts the calls allowed on this model, which a retrying client lowers to one */
    public RetryDecision decide(Failure failure, int attempt, int maxAttempts, ResiliencePolicy policy, long remainingMs) {
        if (failure.terminal()) {
            return new RetryDecision.Stop(failure.error());
        }
        if (failure.retryable() && attempt < maxAttempts) {
            long delay = Backoff.delayMs(policy, attempt, failure.retryAfterMs(), random);
            if (delay < remainingMs) {
                return new RetryDecision.Retry(delay);
            }
        }
        return new RetryDecision.NextCandidate();
    }
}
