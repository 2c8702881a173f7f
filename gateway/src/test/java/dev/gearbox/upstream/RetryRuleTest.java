package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.wire.ApiException;
import io.vertx.core.MultiMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryRuleTest {

    /** Three attempts; backoff 100 ms doubling up to 1 s, with jitter of half either way. */
    private static final ResiliencePolicy POLICY = ResiliencePolicy.DEFAULTS.with(new ResiliencePolicy(null, null, null,
            3, 100L, 1_000L, 0.5, null, null, null, null, null, null, null, null, null));
    /** The same without jitter, for exact delays. */
    private static final ResiliencePolicy STEADY = POLICY.with(new ResiliencePolicy(null, null, null, null, null, null,
            0.0, null, null, null, null, null, null, null, null, null));
    private static final long PLENTY_MS = 60_000;

    private final RetryRule rule = RetryRule.of(new SplittableRandom(7));

    @Test
    void stopsOnTheRequestsOwnFaultWithItsError() {
        Failure badRequest = failure("400", Failure.Kind.REQUEST, -1, 400);

        RetryDecision decision = rule.decide(badRequest, 1, POLICY, PLENTY_MS);

        assertThat(decision).isInstanceOfSatisfying(RetryDecision.Stop.class,
                stop -> assertThat(stop.error()).isSameAs(badRequest.error()));
    }

    @Test
    void retriesAModelFailureWhileAttemptsLast() {
        Failure unavailable = failure("503", Failure.Kind.MODEL, -1, 502);

        assertThat(rule.decide(unavailable, 1, POLICY, PLENTY_MS)).isInstanceOfSatisfying(RetryDecision.Retry.class,
                retry -> assertThat(retry.delayMs()).isBetween(50L, 150L));
        assertThat(rule.decide(unavailable, 2, POLICY, PLENTY_MS)).isInstanceOfSatisfying(RetryDecision.Retry.class,
                retry -> assertThat(retry.delayMs()).isBetween(100L, 300L));
        assertThat(rule.decide(unavailable, 3, POLICY, PLENTY_MS)).isInstanceOf(RetryDecision.NextCandidate.class);
    }

    @Test
    void theSameSeedGivesTheSameJitter() {
        Failure unavailable = failure("503", Failure.Kind.MODEL, -1, 502);
        RetryRule one = RetryRule.of(new SplittableRandom(42));
        RetryRule other = RetryRule.of(new SplittableRandom(42));

        for (int attempt = 1; attempt < 3; attempt++) {
            assertThat(one.decide(unavailable, attempt, POLICY, PLENTY_MS))
                    .isEqualTo(other.decide(unavailable, attempt, POLICY, PLENTY_MS));
        }
    }

    @Test
    void neverWaitsLessThanRetryAfter() {
        Failure throttled = failure("429", Failure.Kind.THROTTLED, 5_000, 429);

        assertThat(rule.decide(throttled, 1, POLICY, PLENTY_MS)).isEqualTo(new RetryDecision.Retry(5_000));
    }

    @Test
    void retriesAThrottledCall() {
        Failure throttled = failure("429", Failure.Kind.THROTTLED, -1, 429);

        assertThat(rule.decide(throttled, 1, STEADY, PLENTY_MS)).isEqualTo(new RetryDecision.Retry(100));
    }

    @Test
    void movesOnWhenTheBackoffDoesNotFitTheTimeLeft() {
        Failure unavailable = failure("503", Failure.Kind.MODEL, -1, 502);

        // The wait must end before the deadline, not at it.
        assertThat(rule.decide(unavailable, 1, STEADY, 101)).isEqualTo(new RetryDecision.Retry(100));
        assertThat(rule.decide(unavailable, 1, STEADY, 100)).isInstanceOf(RetryDecision.NextCandidate.class);
        assertThat(rule.decide(unavailable, 1, STEADY, 0)).isInstanceOf(RetryDecision.NextCandidate.class);
    }

    @Test
    void movesOnWhenRetryAfterIsLongerThanTheTimeLeft() {
        Failure throttled = failure("429", Failure.Kind.THROTTLED, 30_000, 429);

        assertThat(rule.decide(throttled, 1, POLICY, 10_000)).isInstanceOf(RetryDecision.NextCandidate.class);
    }

    @Test
    void aRefusalGoesToTheNextCandidateEvenWithAttemptsLeft() {
        Failure unauthorized = failure("401", Failure.Kind.REFUSED, -1, 401);

        assertThat(rule.decide(unauthorized, 1, POLICY, PLENTY_MS)).isInstanceOf(RetryDecision.NextCandidate.class);
    }

    @Test
    void aClientThatSaysItIsRetryingGetsOneAttemptPerModel() {
        MultiMap first = MultiMap.caseInsensitiveMultiMap().add("x-stainless-retry-count", "0");
        MultiMap retry = MultiMap.caseInsensitiveMultiMap().add("x-stainless-retry-count", "2");
        Failure unavailable = failure("503", Failure.Kind.MODEL, -1, 502);

        assertThat(RetryRule.maxAttempts(POLICY, first)).isEqualTo(POLICY.maxAttempts());
        assertThat(RetryRule.maxAttempts(POLICY, MultiMap.caseInsensitiveMultiMap())).isEqualTo(POLICY.maxAttempts());
        assertThat(RetryRule.maxAttempts(POLICY, retry)).isEqualTo(1);
        assertThat(rule.decide(unavailable, 1, RetryRule.maxAttempts(POLICY, retry), POLICY, PLENTY_MS))
                .isInstanceOf(RetryDecision.NextCandidate.class);
    }

    private static Failure failure(String code, Failure.Kind kind, long retryAfterMs, int clientStatus) {
        return new Failure(code, kind, retryAfterMs,
                new ApiException(clientStatus, "server_error", null, null, "upstream said " + code));
    }
}
