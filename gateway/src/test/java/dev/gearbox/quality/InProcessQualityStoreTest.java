package dev.gearbox.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessQualityStoreTest extends QualityStoreContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    private final InProcessQualityStore store = InProcessQualityStore.inMemory(clock);

    @Override
    QualityStore store() {
        return store;
    }

    @Override
    Instant now() {
        return clock.instant();
    }

    @Test
    void forgetsARequestWhenItsWindowClosesAndADayWhenItsRetentionEnds() {
        store.remember(record("r", "team-a", "default", "cheap"), clock.instant().plus(Duration.ofHours(24))).await();
        LocalDate day = LocalDate.of(2030, 1, 1);
        store.keep(judged("r", "default", "cheap", Comparison.TIE), day, clock.instant().plus(Duration.ofDays(30))).await();

        clock.advance(Duration.ofHours(24));
        assertThat(store.request("team-a", "r").await()).isEmpty();
        assertThat(store.tally(List.of(day)).await().routes()).hasSize(1);

        clock.advance(Duration.ofDays(30));
        assertThat(store.tally(List.of(day)).await().routes()).isEmpty();
    }

    @Test
    void keepsTheNewestRequestsAndLabelsWithinItsBoundsAndTheTallyWhole() {
        InProcessQualityStore small = InProcessQualityStore.bounded(clock, 2_000, 2_000);
        Instant until = clock.instant().plus(Duration.ofDays(1));
        LocalDate day = LocalDate.of(2030, 1, 1);
        for (int i = 0; i < 50; i++) {
            small.remember(record("r" + i, "team-a", "default", "cheap"), until).await();
            small.keep(judged("r" + i, "default", "cheap", Comparison.TIE), day, until).await();
        }

        assertThat(small.request("team-a", "r49").await()).isPresent();
        assertThat(small.request("team-a", "r0").await()).isEmpty();
        assertThat(small.labels(day, null).await().labels()).hasSizeLessThan(10)
                .extracting(l -> l.request().requestId()).contains("r49");
        assertThat(small.tally(List.of(day)).await().routes().get(0).tie()).isEqualTo(50);
    }

    @Test
    void keepsEverythingOverARestartInItsFile(@TempDir Path dir) {
        Vertx vertx = Vertx.vertx();
        try {
            Path file = dir.resolve("quality.json");
            Instant until = clock.instant().plus(Duration.ofDays(30));
            LocalDate day = LocalDate.of(2030, 1, 1);
            InProcessQualityStore first = InProcessQualityStore.persistent(clock, vertx, file);
            first.remember(record("r1", "team-a", "default", "cheap"), until).await();
            first.keep(scored("r1", "default", "cheap", 0.75), day, until).await();
            first.reserve(day, 0.5, 10, until).await();
            first.spend(day, "default", 0.5, 0.4, until).await();
            first.close().await();

            InProcessQualityStore second = InProcessQualityStore.persistent(clock, vertx, file);

            assertThat(second.request("team-a", "r1").await()).contains(record("r1", "team-a", "default", "cheap"));
            assertThat(second.labels(day, null).await().labels()).containsExactly(scored("r1", "default", "cheap", 0.75));
            QualityTally.RouteReport route = second.tally(List.of(day)).await().routes().get(0);
            assertThat(route.feedbackMean()).isEqualTo(0.75);
            assertThat(route.shadowSpendUsd()).isEqualTo(0.4);
            assertThat(second.reserve(day, 9.6, 10, until).await()).isEqualTo(new QualityStore.Budget(true, 10.0));
            second.close().await();
        } finally {
            vertx.close().await();
        }
    }
}
