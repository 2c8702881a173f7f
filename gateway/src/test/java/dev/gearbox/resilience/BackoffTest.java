package dev.gearbox.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ResiliencePolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final ResiliencePolicy policy = ResiliencePolicy.DEFAULTS.with(new ResiliencePolicy(null, null, null, null,
            100L, 1_000L, 0.5, null, null, null, null, null, null, null, null, null));

    @Test
    void growsExponentiallyWithinJitterUpToTheMaximum() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            assertThat(Backoff.delayMs(policy, 1, -1, random)).isBetween(50L, 150L);
            assertThat(Backoff.delayMs(policy, 3, -1, random)).isBetween(200L, 600L);
            assertThat(Backoff.delayMs(policy, 10, -1, random)).isBetween(500L, 1_500L);
        }
    }

    @Test
    void neverWaitsLessThanRetryAfter() {
        assertThat(Backoff.delayMs(policy, 1, 3_000, new SplittableRandom(1))).isEqualTo(3_000);
    }

    @Test
    void readsRetryAfterAsSecondsOrAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

        assertThat(Backoff.retryAfterMs("2", clock)).isEqualTo(2_000);
        assertThat(Backoff.retryAfterMs("0.5", clock)).isEqualTo(500);
        assertThat(Backoff.retryAfterMs("Mon, 23 Nov 2026 10:00:07 GMT", clock)).isEqualTo(7_000);
        assertThat(Backoff.retryAfterMs("soon", clock)).isEqualTo(-1);
        assertThat(Backoff.retryAfterMs(null, clock)).isEqualTo(-1);
    }
}
