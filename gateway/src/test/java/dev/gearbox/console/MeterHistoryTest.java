package dev.gearbox.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.telemetry.MeterNames;
import dev.gearbox.testing.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MeterHistoryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:30Z"));
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachMinuteHoldsWhatTheCountersGrewByThenSummedOverTenantsAndProviders() {
        requests("default", "small", "cheap", "a", "success", 5);
        MeterHistory history = MeterHistory.of(registry, clock);

        requests("default", "small", "cheap", "a", "success", 2);
        requests("default", "small", "cheap", "b", "success", 1);
        requests("default", "small", "cheap", "a", "upstream_error", 1);
        requests("default", "small", "cheap", "a", "rate_limited", 1);
        cost("default", "small", "cheap", 0.25, 1.0);
        history.sample();
        clock.advance(Duration.ofMinutes(1));
        requests("hard", "big", "reasoning", "a", "success", 3);
        registry.counter(MeterNames.FALLBACKS, MeterNames.TAG_MODEL, "big", MeterNames.TAG_REASON, "timeout").increment(2);

        MeterHistory.Window window = history.window(Duration.ofHours(1));

        double[] small = window.byKey().get(new MeterHistory.Key("default", "small", "cheap"));
        assertThat(small[MeterHistory.REQUESTS]).as("the 5 before the history began are not in it").isEqualTo(5);
        assertThat(small[MeterHistory.ERRORS]).isEqualTo(1);
        assertThat(small[MeterHistory.REFUSED]).isEqualTo(1);
        assertThat(small[MeterHistory.COST]).isEqualTo(0.25);
        assertThat(small[MeterHistory.BASELINE]).isEqualTo(1.0);
        assertThat(window.byKey().get(new MeterHistory.Key("hard", "big", "reasoning"))[MeterHistory.REQUESTS]).isEqualTo(3);
        assertThat(window.fallbacks()).containsEntry("big", 2.0);
        assertThat(window.perMinute()).as("the gateway's two minutes and a quarter of an hour before").hasSize(16);
        assertThat(window.perMinute().values()).extracting(v -> v[MeterHistory.REQUESTS]).endsWith(0.0, 5.0, 3.0);
    }

    @Test
    void callsThatReachedNoModelAndCountersThatShrankAddNothing() {
        MeterHistory history = MeterHistory.of(registry, clock);
        requests("none", "none", "none", "a", "success", 40);
        requests("default", "small", "cheap", "a", "success", 4);
        history.sample();
        registry.remove(registry.find(MeterNames.REQUESTS).tag(MeterNames.TAG_MODEL, "small").counter());

        MeterHistory.Window window = history.window(Duration.ofMinutes(15));

        assertThat(window.byKey()).containsOnlyKeys(new MeterHistory.Key("default", "small", "cheap"));
        assertThat(window.byKey().values().iterator().next()[MeterHistory.REQUESTS]).isEqualTo(4);
    }

    @Test
    void aMinuteOlderThanTheWindowOrADayIsLeftOut() {
        MeterHistory history = MeterHistory.of(registry, clock);
        requests("default", "small", "cheap", "a", "success", 7);
        history.sample();

        clock.advance(Duration.ofMinutes(20));
        assertThat(total(history.window(Duration.ofMinutes(15)))).isZero();
        assertThat(total(history.window(Duration.ofHours(1)))).isEqualTo(7);

        clock.advance(Duration.ofDays(1));
        assertThat(total(history.window(Duration.ofHours(24)))).isZero();
    }

    private static double total(MeterHistory.Window window) {
        return window.perMinute().values().stream().mapToDouble(v -> v[MeterHistory.REQUESTS]).sum();
    }

    private void requests(String route, String model, String tier, String tenant, String outcome, int n) {
        registry.counter(MeterNames.REQUESTS, MeterNames.TAG_MODEL, model, MeterNames.TAG_PROVIDER, "p", MeterNames.TAG_TIER, tier,
                MeterNames.TAG_ROUTE, route, MeterNames.TAG_TENANT, tenant, MeterNames.TAG_OUTCOME, outcome).increment(n);
    }

    private void cost(String route, String model, String tier, double usd, double baseline) {
        registry.counter(MeterNames.COST, MeterNames.TAG_MODEL, model, MeterNames.TAG_TIER, tier, MeterNames.TAG_ROUTE, route)
                .increment(usd);
        registry.counter(MeterNames.BASELINE_COST, MeterNames.TAG_MODEL, model, MeterNames.TAG_TIER, tier, MeterNames.TAG_ROUTE, route)
                .increment(baseline);
    }
}
