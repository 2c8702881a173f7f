package dev.gearbox.upstream;

import dev.gearbox.wire.ApiException;

/** What follows a failed attempt, as the {@link RetryRule} decides. */
public sealed interface RetryDecision permits RetryDecision.Retry, RetryDecision.NextCandidate, RetryDecision.Stop {

    /** Try the same model again after a backoff, if its retry budget and breaker allow. */
    record Retry(long delayMs) implements RetryDecision {
        public Retry {
            if (delayMs < 0) {
                throw new IllegalArgumentException("delayMs: " + delayMs + " (expected: >= 0)");
            }
        }
    }

    /** Give this model up and try the next candidate. */
    record NextCandidate() implements RetryDecision {
    }

    /** Try nothing else: answer the client with this error. */
    record Stop(ApiException error) implements RetryDecision {
    }
}
