package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShareTrackerTest {

    @Test
    void holdsItsShareWhenTrafficIsHarderThanTheTrainingPrompts() {
        ShareTracker tracker = ShareTracker.of(0.25, 2000);
        SplittableRandom random = new SplittableRandom(1);
        int admitted = 0;
        for (int i = 0; i < 5000; i++) {
            // Scores bunched between 0.6 and 1: with a fixed 0.75 threshold, 62% would pass.
            boolean in = tracker.admit(0.6 + 0.4 * random.nextDouble());
            if (i >= 1000 && in) {
                admitted++;
            }
        }
        assertThat(admitted / 4000.0).isBetween(0.22, 0.28);
    }

    @Test
    void followsAShiftInTraffic() {
        ShareTracker tracker = ShareTracker.of(0.1, 1000);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 3000; i++) {
            tracker.admit(random.nextDouble() * 0.5);
        }
        int admitted = 0;
        for (int i = 0; i < 3000; i++) {
            boolean in = tracker.admit(0.5 + random.nextDouble() * 0.5);
            if (i >= 1000 && in) {
                admitted++;
            }
        }
        assertThat(admitted / 2000.0).isBetween(0.07, 0.13);
    }

    @Test
    void refusesASharesOutsideZeroAndOneAndATinyWindow() {
        assertThatThrownBy(() -> ShareTracker.of(1.0, 2000)).hasMessage("share: 1.0 (expected: between 0 and 1, exclusive)");
        assertThatThrownBy(() -> ShareTracker.of(0.5, 10)).hasMessage("window: 10 (expected: >= 200)");
    }
}
