package dev.gearbox.state;

import dev.gearbox.config.Accounting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared store spent through leases: each team's requests are admitted from what this replica's lease on the
 * team holds ({@link TeamLease}), without a round trip, and settled in batches, one call per team per interval;
 * a request whose key or team asks for {@link Accounting#EXACT} accounting, and every request while the pool
 * cannot be reached and the lease has no room, go to {@code exact} instead (the per-request scripts, and the
 * fail mode of a {@link ReconcilingStore}). Everything else (spend, usage, accounts) is {@code exact}'s.
 *
 * <p>The bound on spend is the exact one: a lease's money is reserved in the store when it is granted, and a
 * request is admitted only while its estimate fits what the lease holds beside the estimates of the requests in
 * flight, so every lease together never holds more than the budget's room. What leases add is that near a limit
 * room can sit in another replica's lease (a refusal with {@code Retry-After: 1}) until that one returns it:
 * idle, after a third of the lease TTL; and that a lease lost without its replica knowing (a failover that loses
 * a grant no replica acknowledged, clocks apart by more than a quarter of the TTL) can be spent twice, at most
 * its cushion, {@code budget_share} of the room left when it was granted.
 */
public final class LeasedStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedStore.class);

    private final Store exact;
    private final Leasing leasing;
    private final Map<String, TeamLease> teams = new ConcurrentHashMap<>();

    private LeasedStore(Store exact, Leasing leasing) {
        this.exact = exact;
        this.leasing = leasing;
    }

    /**
     * @param exact the store of exact requests, spend, usage and accounts, and of the fail mode
     * @param pool where leases come from, the same Redis as {@code exact}'s
     * @param settleIntervalMs how long a team's settles gather before they are written together
     */
    public static LeasedStore over(Store exact, LeasePool pool, LeaseTerms terms, long settleIntervalMs, Clock clock,
                                   Vertx vertx) {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        String replica = HexFormat.of().formatHex(b);
        AtomicLong batches = new AtomicLong();
        return new LeasedStore(exact, new Leasing("lease:" + replica, pool, terms, clock, vertx, settleIntervalMs,
                () -> "batch:" + replica + ":" + batches.incrementAndGet()));
    }

    @Override
    public Future<Verdict> reserve(Hold hold, long ttlMs) {
        if (hold.accounting() == Accounting.EXACT) {
            return exact.reserve(hold, ttlMs);
        }
        return teams.computeIfAbsent(hold.team(), t -> new TeamLease(t, leasing)).admit(hold)
                .recover(e -> e instanceof StoreUnavailableException ? exact.reserve(hold, ttlMs) : Future.failedFuture(e));
    }

    @Override
    public Future<Void> settle(Hold hold, Charge charge) {
        if (hold.accounting() != Accounting.EXACT) {
            // A team without limits has no lease, but its usage is batched the same way.
            TeamLease lease = hold.scopes().isEmpty() ? teams.computeIfAbsent(hold.team(), t -> new TeamLease(t, leasing))
                    : teams.get(hold.team());
            Future<Void> settled = lease == null ? null : lease.settle(hold, charge);
            if (settled != null) {
                return settled;
            }
        }
        // An exact request, or one admitted by the fail mode while the pool could not be reached.
        return exact.settle(hold, charge);
    }

    @Override
    public Future<Map<Period, Long>> spent(String team, String scope, Window window) {
        return exact.spent(team, scope, window);
    }

    @Override
    public Future<List<UsageRow>> usage(String team, String from, String to) {
        return exact.usage(team, from, to);
    }

    @Override
    public Future<Boolean> putAccount(String kind, String id, String json, AccountCondition condition) {
        return exact.putAccount(kind, id, json, condition);
    }

    @Override
    public Future<Map<String, String>> accounts(String kind) {
        return exact.accounts(kind);
    }

    @Override
    public Future<Long> accountsVersion() {
        return exact.accountsVersion();
    }

    @Override
    public Future<Map<String, double[]>> shareLatency(String replica, Map<String, double[]> local, long nowMs, long ttlMs) {
        return exact.shareLatency(replica, local, nowMs, ttlMs);
    }

    @Override
    public boolean available() {
        return exact.available();
    }

    /** Batches of settles not yet counted by the store, over every team. */
    public int unsent() {
        return teams.values().stream().mapToInt(TeamLease::unsent).sum();
    }

    /**
     * Writes every team's settles and returns its lease, then closes {@code exact}; settles that still cannot reach
     * the store are lost, and said so in the log.
     */
    @Override
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        teams.values().forEach(t -> closing.add(t.close()));
        return Future.join(closing).transform(ar -> {
            int lost = unsent();
            if (lost > 0) {
                LOG.warn("{} batches of settles could not reach the state store before it closed; their spend is not"
                        + " recorded", lost);
            }
            return exact.close();
        });
    }
}
