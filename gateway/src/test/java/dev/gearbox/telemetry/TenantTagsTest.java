package dev.gearbox.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantTagsTest {

    private static final Duration RANKING = Duration.ofMillis(TenantTags.RANK_INTERVAL_MS);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TenantTags tags = TenantTags.of(2, clock);
    private final List<Set<String>> demoted = new ArrayList<>();

    TenantTagsTest() {
        tags.onDemoted(demoted::add);
    }

    @Test
    void namesTenantsAsTheyComeWhileThereIsRoomAndTheRestAsOther() {
        assertThat(tags.record("a")).isEqualTo("a");
        assertThat(tags.record("b")).isEqualTo("b");
        assertThat(tags.record("c")).isEqualTo("other");
        assertThat(tags.record("a")).isEqualTo("a");
        assertThat(tags.tag("c")).isEqualTo("other");
    }

    @Test
    void anonymousIsAlwaysNamedAndTakesNoPlace() {
        tags.record("anonymous");
        tags.record("a");

        assertThat(tags.record("b")).isEqualTo("b");
        assertThat(tags.record("anonymous")).isEqualTo("anonymous");
    }

    @Test
    void atTheNextRankingTheMostActiveTenantsTakeTheNamesAndTheDemotedAreTold() {
        tags.record("a");
        tags.record("b");
        for (int i = 0; i < 5; i++) {
            tags.record("c");
        }
        tags.record("b");
        assertThat(tags.tag("c")).isEqualTo("other");

        clock.advance(RANKING);
        assertThat(tags.record("c")).isEqualTo("c");

        assertThat(tags.tag("b")).isEqualTo("b");
        assertThat(tags.tag("a")).isEqualTo("other");
        assertThat(demoted).containsExactly(Set.of("a"));
    }

    @Test
    void nothingIsRankedBeforeTheIntervalHasPassed() {
        tags.record("a");
        tags.record("b");
        for (int i = 0; i < 5; i++) {
            tags.record("c");
        }

        clock.advance(RANKING.minusMillis(1));

        assertThat(tags.record("c")).isEqualTo("other");
        assertThat(demoted).isEmpty();
    }

    @Test
    void aTieKeepsTheTenantAlreadyNamed() {
        tags.record("b");
        tags.record("z");
        tags.record("a");

        clock.advance(RANKING);
        tags.record("x");

        // a, b and z each had one request before the ranking; x's own request counted as it triggered it.
        assertThat(tags.tag("b")).isEqualTo("b");
        assertThat(tags.tag("a")).isEqualTo("other");
    }

    @Test
    void aBurstFadesWhileASteadyTenantKeepsItsPlace() {
        tags.record("steady");
        tags.record("burst");
        for (int i = 0; i < 7; i++) {
            tags.record("burst");
        }
        tags.record("third");
        for (int minute = 0; minute < 5; minute++) {
            for (int i = 0; i < 3; i++) {
                tags.record("steady");
                tags.record("third");
            }
            clock.advance(RANKING);
        }
        tags.record("steady");

        assertThat(tags.tag("steady")).isEqualTo("steady");
        assertThat(tags.tag("third")).isEqualTo("third");
        assertThat(tags.tag("burst")).isEqualTo("other");
    }

    @Test
    void aCapOfZeroNamesNoTenant() {
        TenantTags none = TenantTags.of(0, clock);

        assertThat(none.record("a")).isEqualTo("other");
        assertThatThrownBy(() -> TenantTags.of(-1, clock)).hasMessage("max: -1 (expected: >= 0)");
    }
}
