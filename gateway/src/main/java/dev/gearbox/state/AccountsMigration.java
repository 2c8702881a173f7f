package dev.gearbox.state;

import dev.gearbox.config.RedisConfig;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the account documents of a deployment that predates their hash tag to their tagged names, once, before
 * the store first reads or writes them ({@code migrate.lua}, one atomic step, so replicas starting together move
 * them once). A Redis Cluster needs no move: an older version could not write accounts there at all, since its
 * account script spanned three slots. Until it has succeeded, every accounts call tries it again first.
 */
final class AccountsMigration {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsMigration.class);
    private static final LuaScript MIGRATE = LuaScript.load("migrate.lua");

    private final RedisCalls calls;
    private Future<Void> done;

    private AccountsMigration(RedisCalls calls, boolean needed) {
        this.calls = calls;
        this.done = needed ? null : Future.succeededFuture();
    }

    static AccountsMigration of(RedisCalls calls, RedisConfig.Topology topology) {
        return new AccountsMigration(calls, topology != RedisConfig.Topology.CLUSTER);
    }

    /** Completes once the documents are where this version reads them. */
    synchronized Future<Void> ensure() {
        if (done != null && !done.failed()) {
            return done;
        }
        List<String> keys = List.of(RedisKeys.LEGACY_ACCOUNTS + "key", RedisKeys.LEGACY_ACCOUNTS + "team",
                RedisKeys.LEGACY_VERSION, RedisKeys.accounts("key"), RedisKeys.accounts("team"), RedisKeys.VERSION);
        done = calls.runDurable(MIGRATE, keys, List.of()).map(moved -> {
            if (moved.toLong() > 0) {
                LOG.info("moved {} keys and teams from gearbox:accounts:* to {}* (replicas of an earlier version can"
                        + " no longer read or write them: finish the upgrade)", moved.toLong(), RedisKeys.ACCOUNTS);
            }
            return null;
        });
        return done;
    }
}
