package dev.gearbox.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.config.LatencySeed;
import dev.gearbox.config.ModelConfig;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    private final ModelConfig model = new ModelConfig("m", "p", null, null, null, null, null, null, null, null,
            new LatencySeed(400L, 4000L), null);

    @Test
    void startsFromTheSeed() {
        LatencyStats stats = new LatencyStats();

        assertThat(stats.expectedFirstTokenMs(model)).isEqualTo(400);
        assertThat(stats.expectedTotalMs(model)).isEqualTo(4000);
    }

    @Test
    void followsChangeAndLetsOldObservationsFade() {
        LatencyStats stats = new LatencyStats();
        stats.record(model, 1000, 10_000);

        assertThat(stats.expectedFirstTokenMs(model)).isCloseTo(400 + 0.2 * 600, within(1e-9));

        for (int i = 0; i < 40; i++) {
            stats.record(model, 100, 1000);
        }
        assertThat(stats.expectedFirstTokenMs(model)).isCloseTo(100, within(1.0));
        assertThat(stats.expectedTotalMs(model)).isCloseTo(1000, within(5.0));
    }
}
