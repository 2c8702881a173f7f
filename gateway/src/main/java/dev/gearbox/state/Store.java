package dev.gearbox.state;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The state that must agree across replicas: rate-limit counters, reservations, spend, the usage ledger,
 * and the keys and teams made through the admin API. {@link InProcessStore} serves one node,
 * {@link RedisStore} many. Every method is non-blocking; a store that cannot be reached, or does not
 * answer in time, fails its future with a {@link StoreUnavailableException}.
 */
public interface Store {

    /**
     * Checks every scope's limits and, only if all have room, counts the request and reserves its estimate,
     * in one atomic step. A reservation that is neither settled nor released expires after {@code ttlMs}.
     */
    Future<Verdict> reserve(Hold hold, long ttlMs);

    /** Ends a reservation with what the request actually used; also when the reservation has expired. */
    Future<Void> settle(Hold hold, Charge charge);

    /** Ends a reservation of a request that cost nothing (a failed call). */
    default Future<Void> release(Hold hold) {
        return settle(hold, Charge.NOTHING);
    }

    /** What a scope of a team has spent in each period of {@code window}, in nano-dollars. */
    Future<Map<Period, Long>> spent(String team, String scope, Window window);

    /** The ledger rows of a team from day {@code from} to day {@code to} (inclusive, {@code yyyy-MM-dd}). */
    Future<List<UsageRow>> usage(String team, String from, String to);

    /**
     * Writes an account document (a key or a team, by {@code kind}), or deletes it when {@code json} is null, if
     * {@code condition} holds: checked and written in one atomic step, across replicas.
     *
     * @return true when written, false when the condition did not hold (nothing was written)
     */
    Future<Boolean> putAccount(String kind, String id, String json, AccountCondition condition);

    /** All account documents of a kind, by id. */
    Future<Map<String, String>> accounts(String kind);

    /** A number that changes whenever an account does, so replicas reload accounts only then. */
    Future<Long> accountsVersion();

    /**
     * Publishes this replica's latency averages (model id to {first token, total} ms) until {@code nowMs +
     * ttlMs}, and answers every live replica's, averaged per model. A store in one process has only its own.
     */
    default Future<Map<String, double[]>> shareLatency(String replica, Map<String, double[]> local, long nowMs, long ttlMs) {
        return Future.succeededFuture(local);
    }

    /** Whether the store can be reached now. */
    boolean available();

    Future<Void> close();
}
