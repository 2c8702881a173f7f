package dev.gearbox.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.Accounting;
import dev.gearbox.config.RedisConfig;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases against a real {@code redis-server}: requests inside a lease cost no round trip, settles go in
 * batches that count once however often they are sent, four replicas' leases never hold more than a budget,
 * leases shrink as the room left does, and a crashed replica's lease returns to the pool when it expires.
 */
@Timeout(120)
class LeasedStoreIT {

    private static final long TTL_MS = 10_000;
    private static final AtomicInteger TEAMS = new AtomicInteger();

    @TempDir
    static Path dir;
    private static RedisServer server;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(20));
    private final List<Replica> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeReplicas() {
        for (Replica r : replicas) {
            r.close();
        }
    }

    @Test
    void requestsThatFitTheLeaseAreAdmittedWithoutARoundTripAndSettleInBatches() {
        Replica replica = replica(0.005);
        String team = team();
        Scope scope = Scope.team(budget(100));
        long calls = scripts();

        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Hold hold = hold(team, scope, Limits.nanos(0.001));
            assertThat(replica.store.reserve(hold, 600_000).await()).isEqualTo(Verdict.ADMITTED);
            holds.add(hold);
        }
        assertThat(scripts() - calls).as("one call took a lease for all of them").isEqualTo(1);

        List<Future<Void>> settles = new ArrayList<>();
        for (Hold hold : holds) {
            settles.add(replica.store.settle(hold, charge(Limits.nanos(0.0005))));
        }
        Future.all(settles).await();

        assertThat(scripts() - calls).as("the settles went in a few batches").isLessThan(10);
        assertThat(replica.shared.spent(team, "team", window()).await()).containsEntry(Period.DAY, Limits.nanos(0.05));
        assertThat(replica.shared.usage(team, day(), day()).await()).singleElement()
                .satisfies(row -> assertThat(row.requests()).isEqualTo(100));
    }

    @Test
    void fourReplicasLeasesNeverAdmitPastTheBudget() {
        List<Replica> four = List.of(replica(0.005), replica(0.005), replica(0.005), replica(0.005));
        String team = team();
        Scope scope = Scope.team(budget(1));
        long estimate = Limits.nanos(0.004);

        List<Future<Verdict>> verdicts = new ArrayList<>();
        List<Hold> holds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Hold hold = hold(team, scope, estimate);
            holds.add(hold);
            verdicts.add(four.get(i % 4).store.reserve(hold, 600_000));
        }
        Future.join(verdicts).await();
        List<Future<Void>> settles = new ArrayList<>();
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (verdicts.get(i).result() == Verdict.ADMITTED) {
                admitted++;
                settles.add(four.get(i % 4).store.settle(holds.get(i), charge(estimate)));
            } else {
                assertThat(verdicts.get(i).result()).isInstanceOfSatisfying(Verdict.Refused.class,
                        r -> assertThat(r.limit()).isEqualTo(Verdict.Limit.BUDGET_DAILY));
            }
        }
        Future.all(settles).await();

        assertThat(admitted).as("$1 holds 250 estimates of $0.004").isLessThanOrEqualTo(250).isGreaterThan(200);
        assertThat(four.get(0).shared.spent(team, "team", window()).await().get(Period.DAY))
                .isEqualTo(admitted * estimate).isLessThanOrEqualTo(Limits.nanos(1));
    }

    @Test
    void aLeaseAddsAShareOfTheRoomLeftSoLeasesShrinkNearTheLimit() {
        Replica replica = replica(0.005);
        String team = team();
        Scope scope = Scope.team(budget(100));
        LeaseTerms terms = new LeaseTerms(0.1, 0.1, TTL_MS);

        LeaseGrant first = replica.shared.leases().sync(sync(team, "a", scope, 0, 0), terms).await();
        assertThat(first.scopes().get(0).moneyNanos()).as("a tenth of $100").isEqualTo(Limits.nanos(10));
        replica.shared.leases().sync(sync(team, "b", scope, 0, Limits.nanos(85)), terms).await();

        LeaseGrant near = replica.shared.leases().sync(sync(team, "c", scope, 0, 0), terms).await();
        assertThat(near.scopes().get(0).moneyNanos()).as("a tenth of the $5 left").isEqualTo(Limits.nanos(0.5));
        assertThat(near.scopes().get(0).reservedNanos()).as("both leases").isEqualTo(Limits.nanos(10.5));
    }

    @Test
    void aBatchSentAgainAfterItWasCountedCountsOnce() {
        Replica replica = replica(0.005);
        String team = team();
        Scope scope = Scope.team(budget(100));
        LeaseTerms terms = new LeaseTerms(0.005, 0.1, TTL_MS);
        LeaseSync settle = new LeaseSync(team, "lease:replayed", "batch:replayed:1", window(), window(),
                List.of(new LeaseSync.ScopeSync(scope, Limits.nanos(0.25), LeaseSync.Share.NONE, LeaseSync.Share.NONE,
                        LeaseSync.Share.NONE, new LeaseSync.Share(0, -1))),
                List.of(new LeaseSync.LedgerRow("key_1", "sim-cheap", 3, Limits.nanos(0.25), Limits.nanos(1), 10, 20)));

        replica.shared.leases().sync(settle, terms).await();
        replica.shared.leases().sync(settle, terms).await();

        assertThat(replica.shared.spent(team, "team", window()).await()).containsEntry(Period.TOTAL, Limits.nanos(0.25));
        assertThat(replica.shared.usage(team, day(), day()).await()).singleElement()
                .satisfies(row -> assertThat(row.requests()).isEqualTo(3));
    }

    @Test
    void aCrashedReplicasLeaseReturnsToThePoolWhenItExpires() {
        Replica crashing = replica(0.5);
        Replica survivor = replica(0.5);
        String team = team();
        Scope scope = Scope.team(budget(1));
        long estimate = Limits.nanos(0.1);
        // Its one request and half of the $0.90 left: $0.55 of the $1.
        assertThat(crashing.store.reserve(hold(team, scope, estimate), 600_000).await()).isEqualTo(Verdict.ADMITTED);
        crashing.crash();

        assertThat(admitted(survivor, team, scope, estimate, 10)).as("the $0.45 left").isEqualTo(4);
        clock.advance(Duration.ofMillis(TTL_MS + 1));

        assertThat(admitted(survivor, team, scope, estimate, 10)).as("the crashed replica's lease back in the pool")
                .isEqualTo(6);
    }

    @Test
    void anExactRequestCountsAgainstTheSameLimitsAsLeases() {
        Replica replica = replica(0.005);
        String team = team();
        Scope scope = Scope.team(new Limits(-1, -1, 2, -1, -1, -1));
        assertThat(replica.store.reserve(hold(team, scope, 0), 600_000).await()).isEqualTo(Verdict.ADMITTED);

        Hold exact = new Hold("exact-a-" + team, team, List.of(scope), 0, 0, window(), Accounting.EXACT);
        Hold another = new Hold("exact-b-" + team, team, List.of(scope), 0, 0, window(), Accounting.EXACT);

        assertThat(replica.store.reserve(exact, 600_000).await()).isEqualTo(Verdict.ADMITTED);
        assertThat(replica.store.reserve(another, 600_000).await()).as("the lease's place and the first exact one")
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> assertThat(r.limit()).isEqualTo(Verdict.Limit.CONCURRENCY));
    }

    private int admitted(Replica replica, String team, Scope scope, long estimate, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            Hold hold = hold(team, scope, estimate);
            if (replica.store.reserve(hold, 600_000).await() == Verdict.ADMITTED) {
                admitted++;
                replica.store.settle(hold, charge(estimate)).await();
            }
        }
        return admitted;
    }

    private LeaseSync sync(String team, String lease, Scope scope, long heldMoney, long spend) {
        return new LeaseSync(team, "lease:" + lease, spend > 0 ? "batch:" + lease : LeaseSync.NO_BATCH, window(), window(),
                List.of(new LeaseSync.ScopeSync(scope, spend, LeaseSync.Share.NONE, LeaseSync.Share.NONE, LeaseSync.Share.NONE,
                        new LeaseSync.Share(heldMoney, spend > 0 ? -1 : 0))), List.of());
    }

    private Replica replica(double budgetShare) {
        Vertx vertx = Vertx.vertx();
        RedisConfig config = RedisConfig.single(server.url());
        RedisStore shared = RedisStore.over(RedisClients.create(vertx, config), config, 600_000, clock);
        LeasedStore store = LeasedStore.over(ReconcilingStore.of(shared, false), shared.leases(),
                new LeaseTerms(budgetShare, 0.1, TTL_MS), 2, clock, vertx);
        Replica replica = new Replica(vertx, shared, store);
        replicas.add(replica);
        return replica;
    }

    private Hold hold(String team, Scope scope, long estimate) {
        return new Hold(team + "-" + TEAMS.incrementAndGet(), team, List.of(scope), estimate, 0, window());
    }

    private static Charge charge(long cost) {
        return new Charge("key_1", "sim-cheap", cost, cost, 10, 20);
    }

    private static Limits budget(double dailyUsd) {
        return new Limits(-1, -1, -1, Limits.nanos(dailyUsd), -1, -1);
    }

    private static String team() {
        return "leased-" + TEAMS.incrementAndGet();
    }

    private Window window() {
        long now = clock.millis();
        return new Window(now, now / 60_000, day(), "2026-12", now + 3_600_000, now + 86_400_000L);
    }

    private static String day() {
        return "2026-12-01";
    }

    private static long scripts() {
        return server.calls("evalsha") + server.calls("eval");
    }

    /** A gateway's state as one replica has it: its own event loops and connections. */
    private static final class Replica {
        final Vertx vertx;
        final RedisStore shared;
        final LeasedStore store;
        private boolean crashed;

        Replica(Vertx vertx, RedisStore shared, LeasedStore store) {
            this.vertx = vertx;
            this.shared = shared;
            this.store = store;
        }

        /** Stops as a crash does: nothing returned, nothing written, its timers gone with its event loops. */
        void crash() {
            crashed = true;
            vertx.close().await();
        }

        void close() {
            if (!crashed) {
                store.close().recover(e -> Future.succeededFuture()).await();
                vertx.close().await();
            }
        }
    }
}
