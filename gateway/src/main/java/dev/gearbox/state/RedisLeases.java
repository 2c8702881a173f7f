package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases from Redis: one {@code lease.lua} call per team settles a batch and resizes the replica's lease, on the
 * team's slot, written durably (the replicas a failover would promote hold it before the gateway relies on it).
 */
final class RedisLeases implements LeasePool {

    private static final LuaScript LEASE = LuaScript.load("lease.lua");

    private final RedisCalls calls;
    private final long settledKeepMs;

    RedisLeases(RedisCalls calls, long settledKeepMs) {
        this.calls = calls;
        this.settledKeepMs = settledKeepMs;
    }

    @Override
    public Future<LeaseGrant> sync(LeaseSync sync, LeaseTerms terms) {
        List<LeaseSync.ScopeSync> scopes = sync.scopes();
        List<String> keys = new ArrayList<>(scopes.size() * RedisKeys.PER_SCOPE + 2);
        List<String> args = new ArrayList<>(9 + scopes.size() * 15 + sync.ledger().size() * 6);
        args.add(sync.leaseId());
        args.add(sync.batchId());
        args.add(Long.toString(sync.rateWindow().nowMs()));
        args.add(Long.toString(terms.ttlMs()));
        args.add(Long.toString(settledKeepMs));
        args.add(Double.toString(terms.budgetShare()));
        args.add(Double.toString(terms.rateShare()));
        args.add(Integer.toString(scopes.size()));
        for (LeaseSync.ScopeSync scope : scopes) {
            RedisKeys.scope(keys, sync.team(), scope.scope(), sync.rateWindow(), sync.spendWindow());
            Limits l = scope.scope().limits();
            for (long limit : new long[] {l.rpm(), l.tpm(), l.maxConcurrent(), l.dailyNanos(), l.monthlyNanos(),
                    l.totalNanos()}) {
                args.add(Long.toString(limit));
            }
            args.add(Long.toString(scope.spendNanos()));
            for (LeaseSync.Share share : List.of(scope.requests(), scope.tokens(), scope.slots(), scope.money())) {
                args.add(Long.toString(share.held()));
                args.add(Long.toString(share.needed()));
            }
        }
        args.add(Integer.toString(sync.ledger().size()));
        for (LeaseSync.LedgerRow row : sync.ledger()) {
            args.add((row.key() == null ? "-" : row.key()) + "|" + row.model());
            args.add(Long.toString(row.requests()));
            args.add(Long.toString(row.costNanos()));
            args.add(Long.toString(row.baselineNanos()));
            args.add(Long.toString(row.promptTokens()));
            args.add(Long.toString(row.completionTokens()));
        }
        keys.add(RedisKeys.ledger(sync.team(), sync.spendWindow().day()));
        keys.add(RedisKeys.settled(sync.team()));
        return calls.runDurable(LEASE, keys, args).map(r -> grant(r, scopes.size()));
    }

    @Override
    public boolean available() {
        return calls.available();
    }

    private static LeaseGrant grant(Response r, int scopes) {
        List<LeaseGrant.ScopeGrant> out = new ArrayList<>(scopes);
        for (int s = 0; s < scopes; s++) {
            int i = s * 11;
            out.add(new LeaseGrant.ScopeGrant(r.get(i).toLong(), r.get(i + 1).toLong(), r.get(i + 2).toLong(),
                    r.get(i + 3).toLong(), r.get(i + 4).toLong(), r.get(i + 5).toLong(), r.get(i + 6).toLong(),
                    r.get(i + 7).toLong(), new long[] {r.get(i + 8).toLong(), r.get(i + 9).toLong(), r.get(i + 10).toLong()}));
        }
        return new LeaseGrant(out);
    }
}
