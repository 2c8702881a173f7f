package dev.gearbox.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One scope's lease, alone: what fits, what a call says it holds and needs, and what it takes from the answer. */
class ScopeLeaseTest {

    private static final long MINUTE = 29_000_000;
    private static final long[] NOTHING_NEEDED = {-1, -1, -1, -1};
    private static final Limits LIMITS = new Limits(100, 10_000, 4, Limits.nanos(10), -1, -1);

    @Test
    void aRequestFitsOnlyWhileEveryLimitedShareHasRoomForIt() {
        ScopeLease lease = granted(2, 500, 1, Limits.nanos(1));

        assertThat(lease.lacking(400, Limits.nanos(0.5))).isNull();
        assertThat(lease.lacking(600, Limits.nanos(0.5))).isEqualTo(ScopeLease.Share.TOKENS);
        assertThat(lease.lacking(400, Limits.nanos(2))).isEqualTo(ScopeLease.Share.MONEY);
        lease.take(400, Limits.nanos(0.5));
        assertThat(lease.lacking(50, Limits.nanos(0.1))).as("its one slot is in use").isEqualTo(ScopeLease.Share.SLOTS);
    }

    @Test
    void aShareWithoutALimitIsNeverLacking() {
        ScopeLease lease = new ScopeLease("team", Limits.NONE);
        lease.roll(MINUTE);

        assertThat(lease.lacking(1_000_000, Limits.nanos(1_000))).isNull();
        assertThat(lease.sync(0, 0, false, true, NOTHING_NEEDED).money()).isEqualTo(LeaseSync.Share.NONE);
    }

    @Test
    void aSettledCostStaysInTheLeaseUntilTheStoreCountsItSpentAndItsEstimatesRestIsFreeAtOnce() {
        ScopeLease lease = granted(10, 5_000, 4, Limits.nanos(1));
        long money = lease.take(100, Limits.nanos(0.6));

        long covered = lease.give(MINUTE, 100, money, Limits.nanos(0.2), 80);

        assertThat(covered).isEqualTo(Limits.nanos(0.2));
        assertThat(lease.lacking(0, Limits.nanos(0.8))).as("$1 less the $0.20 spent").isNull();
        assertThat(lease.lacking(0, Limits.nanos(0.81))).isEqualTo(ScopeLease.Share.MONEY);
        LeaseSync.ScopeSync sync = lease.sync(Limits.nanos(0.2), covered, false, false, NOTHING_NEEDED);
        assertThat(sync.spendNanos()).isEqualTo(Limits.nanos(0.2));
        assertThat(sync.money()).as("what is left once the spend is counted").isEqualTo(new LeaseSync.Share(Limits.nanos(0.8), -1));
    }

    @Test
    void returningGivesUpWhatNoRequestUsesAtOnceAndKeepsWhatRequestsInFlightHold() {
        ScopeLease lease = granted(10, 5_000, 4, Limits.nanos(1));
        lease.take(100, Limits.nanos(0.3));

        LeaseSync.ScopeSync sync = lease.sync(0, 0, true, false, NOTHING_NEEDED);

        assertThat(sync.requests()).isEqualTo(new LeaseSync.Share(1, -1));
        assertThat(sync.tokens()).isEqualTo(new LeaseSync.Share(100, -1));
        assertThat(sync.slots()).isEqualTo(new LeaseSync.Share(1, -1));
        assertThat(sync.money()).isEqualTo(new LeaseSync.Share(Limits.nanos(0.3), -1));
        assertThat(lease.lacking(0, 1)).as("nothing spare before the store answers").isNotNull();
    }

    @Test
    void aCallAsksForWhatIsNeededAndForACushionAgainOnceHalfOfTheLastOneIsUsed() {
        ScopeLease lease = new ScopeLease("team", LIMITS);
        lease.roll(MINUTE);
        LeaseSync.ScopeSync first = lease.sync(0, 0, false, true, new long[] {1, 200, 1, Limits.nanos(0.5)});
        assertThat(first.money()).isEqualTo(new LeaseSync.Share(0, Limits.nanos(0.5)));
        lease.granted(grant(10, 1_000, 2, Limits.nanos(1)), MINUTE, first);

        assertThat(lease.sync(0, 0, false, true, NOTHING_NEEDED).requests()).as("all ten spare")
                .isEqualTo(new LeaseSync.Share(10, -1));
        for (int i = 0; i < 6; i++) {
            lease.take(0, 0);
        }
        assertThat(lease.sync(0, 0, false, true, NOTHING_NEEDED).requests()).as("four spare, under half of ten")
                .isEqualTo(new LeaseSync.Share(10, 0));
    }

    @Test
    void aNewMinuteStartsWithNoRequestsOrTokensAndAGrantOfTheLastMinuteIsIgnored() {
        ScopeLease lease = granted(10, 5_000, 4, Limits.nanos(1));
        LeaseSync.ScopeSync asked = lease.sync(0, 0, false, true, new long[] {1, -1, -1, -1});

        lease.roll(MINUTE + 1);
        lease.granted(grant(50, 5_000, 4, Limits.nanos(1)), MINUTE, asked);

        assertThat(lease.lacking(0, 0)).isEqualTo(ScopeLease.Share.REQUESTS);
    }

    @Test
    void aRefusalForMoneyNamesTheTightestBudgetWithWhatIsSpentAndReserved() {
        Limits limits = new Limits(-1, -1, -1, Limits.nanos(10), Limits.nanos(100), -1);
        ScopeLease lease = new ScopeLease("team", limits);
        Window w = new Window(0, MINUTE, "2026-12-01", "2026-12", 86_400_000, 30 * 86_400_000L);
        Hold hold = new Hold("r1", "t", List.of(new Scope("team", limits)), Limits.nanos(2), 0, w);
        LeaseGrant.ScopeGrant grant = new LeaseGrant.ScopeGrant(0, 0, 0, 0, 0, 0, 0, Limits.nanos(1),
                new long[] {Limits.nanos(8), Limits.nanos(50), Limits.nanos(50)});

        Verdict.Refused refused = lease.refusal(ScopeLease.Share.MONEY, hold, grant);

        assertThat(refused).isEqualTo(new Verdict.Refused(Verdict.Limit.BUDGET_DAILY, "team", Limits.nanos(10),
                Limits.nanos(8), Limits.nanos(1), Limits.nanos(2), 86_400_000));
    }

    private static ScopeLease granted(long requests, long tokens, long slots, long money) {
        ScopeLease lease = new ScopeLease("team", LIMITS);
        lease.roll(MINUTE);
        LeaseSync.ScopeSync asked = lease.sync(0, 0, false, false, NOTHING_NEEDED);
        lease.granted(grant(requests, tokens, slots, money), MINUTE, asked);
        return lease;
    }

    private static LeaseGrant.ScopeGrant grant(long requests, long tokens, long slots, long money) {
        return new LeaseGrant.ScopeGrant(requests, tokens, slots, money, requests, tokens, slots, money, new long[3]);
    }
}
