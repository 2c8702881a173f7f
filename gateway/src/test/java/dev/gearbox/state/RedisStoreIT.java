package dev.gearbox.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.RedisConfig;
import dev.gearbox.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store's scripts against a real {@code redis-server}, for what an outage leaves behind: commands
 * that ran although their caller had given up on them, and settles replayed after they were applied.
 */
@Timeout(60)
class RedisStoreIT {

    private static final long TTL_MS = 600_000;
    private static final long NOW = Instant.now().toEpochMilli();
    private static final Window WINDOW = new Window(NOW, NOW / 60_000, "2026-12-01", "2026-12", NOW + 86_400_000,
            NOW + 30 * 86_400_000L);
    private static final Limits ONE_AT_A_TIME = new Limits(-1, -1, 1, -1, -1, Limits.nanos(10));

    @TempDir
    static Path dir;
    private static RedisServer server;
    private static Vertx vertx;
    private static RedisStore store;

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir);
        vertx = Vertx.vertx();
        RedisConfig config = new RedisConfig(server.url(), null, null, null, 300L, null);
        store = RedisStore.over(RedisClients.create(vertx, config), config, TTL_MS, Clock.systemUTC());
        // The first command of a JVM loads the client's classes and opens its connection: more than 300 ms on a
        // busy machine. The gateway makes its first read at start, before it serves, for the same reason.
        Hold warm = hold("warm-up", "w1");
        store.reserve(warm, TTL_MS).recover(e -> store.reserve(warm, TTL_MS)).await();
        store.release(warm).await();
    }

    @AfterAll
    static void stop() {
        store.close();
        vertx.close().await();
        server.close();
    }

    @Test
    void aSettleReplayedAfterItWasAppliedCountsOnce() {
        Hold hold = hold("replayed", "r1");
        assertThat(store.reserve(hold, TTL_MS).await()).isEqualTo(Verdict.ADMITTED);
        Charge charge = new Charge("key_1", "sim-cheap", Limits.nanos(0.25), Limits.nanos(1), 10, 20);

        store.settle(hold, charge).await();
        store.settle(hold, charge).await();

        assertThat(store.spent("replayed", "team", WINDOW).await()).containsEntry(Period.TOTAL, Limits.nanos(0.25));
        List<UsageRow> rows = store.usage("replayed", "2026-12-01", "2026-12-01").await();
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.requests()).isEqualTo(1));
    }

    @Test
    void aReserveThatReachesRedisAfterItsReleaseHoldsNothing() {
        Hold late = hold("late", "l1");
        store.release(late).await();

        assertThat(store.reserve(late, TTL_MS).await()).isEqualTo(Verdict.ADMITTED);

        assertThat(store.reserve(hold("late", "l2"), TTL_MS).await()).as("the one place is free").isEqualTo(Verdict.ADMITTED);
    }

    @Test
    void aFrozenRedisFailsACommandWithinItsTimeoutAndTheStoreIsAvailableAgainOnceItAnswers() {
        server.pause();
        long start = System.nanoTime();
        Future<Map<Period, Long>> read;
        try {
            read = store.spent("frozen", "team", WINDOW);
            Throwable failure = read.transform(ar -> Future.succeededFuture(ar.cause())).await();

            assertThat(failure).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("no answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(store.available()).isFalse();
        } finally {
            server.resume();
        }
        assertThat(store.spent("frozen", "team", WINDOW).await()).containsEntry(Period.TOTAL, 0L);
        assertThat(store.available()).isTrue();
    }

    @Test
    void accountsUnderTheirNamesBeforeTheHashTagAreMovedOnceAndOlderReplicasFailOnTheOldNames() {
        assertThat(server.command("HSET gearbox:accounts:team legacy '{\"id\":\"legacy\"}'")).isEqualTo(":1");
        assertThat(server.command("HSET gearbox:accounts:key key_old '{\"id\":\"key_old\"}'")).isEqualTo(":1");
        assertThat(server.command("SET gearbox:accounts:version 7")).isEqualTo("+OK");
        RedisConfig config = RedisConfig.single(server.url());

        RedisStore upgraded = RedisStore.over(RedisClients.create(vertx, config), config, TTL_MS, Clock.systemUTC());
        assertThat(upgraded.accounts("team").await()).containsOnlyKeys("legacy");
        assertThat(upgraded.accounts("key").await()).containsOnlyKeys("key_old");
        assertThat(upgraded.accountsVersion().await()).as("past the old version, so every replica reloads").isEqualTo(8);
        assertThat(server.command("TYPE gearbox:accounts:team")).as("an older replica's HSET fails").isEqualTo("+string");
        assertThat(server.command("HEXISTS gearbox:{accounts}:team legacy")).isEqualTo(":1");

        RedisStore another = RedisStore.over(RedisClients.create(vertx, config), config, TTL_MS, Clock.systemUTC());
        assertThat(another.accountsVersion().await()).as("nothing moved twice").isEqualTo(8);
        upgraded.close().await();
        another.close().await();
    }

    private static Hold hold(String team, String id) {
        return new Hold(id, team, List.of(Scope.team(ONE_AT_A_TIME)), Limits.nanos(1), 0, WINDOW);
    }
}
