package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared store that survives its outages. A settle that cannot reach it is kept and replayed, in
 * order, once the store answers again, so no spend is lost. With {@code failOpen}, a reservation that
 * cannot reach it is made in this replica's own {@link InProcessStore} instead (the replica counts
 * alone until the store is back); without, it fails, and admission refuses the request.
 *
 * <p>Once a call has found the store unreachable (refused, or no answer within its timeout) reservations
 * and settles do not wait on it again: they take the fail mode at once until the accounts poll, the
 * heartbeat, gets an answer. Otherwise every request would wait out the timeout of a store known down.
 *
 * <p>A reserve or settle sent before an outage may still run when the store answers again. A settle
 * replayed after its first try was applied counts nothing twice, since the store remembers what it
 * settled; a reservation refused for want of the store (failing closed) is released when the store is
 * back, and one that runs after its release holds nothing.
 */
public final class ReconcilingStore implements Store {

    private static final int MAX_PENDING = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(ReconcilingStore.class);

    private final Store shared;
    private final InProcessStore local = InProcessStore.inMemory();
    private final boolean failOpen;
    private final ArrayDeque<Held> pending = new ArrayDeque<>();
    /** The replay under way, if any. */
    private Future<Void> replaying;

    private ReconcilingStore(Store shared, boolean failOpen) {
        this.shared = shared;
        this.failOpen = failOpen;
    }

    public static ReconcilingStore of(Store shared, boolean failOpen) {
        return new ReconcilingStore(shared, failOpen);
    }

    @Override
    public Future<Verdict> reserve(Hold hold, long ttlMs) {
        if (!shared.available()) {
            return unreachable(hold, ttlMs, new StoreUnavailableException("redis: unreachable since an earlier call", null));
        }
        return shared.reserve(hold, ttlMs).recover(e -> {
            if (!(e instanceof StoreUnavailableException)) {
                return Future.failedFuture(e);
            }
            if (!failOpen) {
                // No request follows to settle it, but the script may still run once the store answers.
                synchronized (this) {
                    keep(hold, Charge.NOTHING);
                }
            }
            return unreachable(hold, ttlMs, e);
        });
    }

    /** Fails open into this replica's own store, or fails; a request admitted open settles here as any other. */
    private Future<Verdict> unreachable(Hold hold, long ttlMs, Throwable cause) {
        return failOpen ? local.reserve(hold, ttlMs) : Future.failedFuture(cause);
    }

    @Override
    public Future<Void> settle(Hold hold, Charge charge) {
        local.settle(hold, Charge.NOTHING);
        synchronized (this) {
            if (!pending.isEmpty() || !shared.available()) {
                // Keep the order: a settle after an outage waits behind the ones the outage held back.
                keep(hold, charge);
                return Future.succeededFuture();
            }
        }
        return shared.settle(hold, charge).recover(e -> {
            if (e instanceof StoreUnavailableException) {
                synchronized (this) {
                    keep(hold, charge);
                }
                return Future.succeededFuture();
            }
            return Future.failedFuture(e);
        });
    }

    /** Settles that wait for the store to come back. */
    public synchronized int pending() {
        return pending.size();
    }

    @Override
    public Future<Map<Period, Long>> spent(String team, String scope, Window window) {
        return shared.spent(team, scope, window);
    }

    @Override
    public Future<List<UsageRow>> usage(String team, String from, String to) {
        return shared.usage(team, from, to);
    }

    @Override
    public Future<Boolean> putAccount(String kind, String id, String json, AccountCondition condition) {
        return shared.putAccount(kind, id, json, condition);
    }

    @Override
    public Future<Map<String, String>> accounts(String kind) {
        return shared.accounts(kind);
    }

    /** Also the heartbeat: once the store answers it, held-back settles are replayed. */
    @Override
    public Future<Long> accountsVersion() {
        return shared.accountsVersion().onSuccess(v -> replay());
    }

    @Override
    public Future<Map<String, double[]>> shareLatency(String replica, Map<String, double[]> local, long nowMs, long ttlMs) {
        return shared.shareLatency(replica, local, nowMs, ttlMs);
    }

    @Override
    public boolean available() {
        return shared.available();
    }

    /**
     * Gives the settles an outage held back one last try, then closes the shared store once what it was sent
     * has been answered; a settle that still cannot reach it is lost, and said so in the log.
     */
    @Override
    public Future<Void> close() {
        return replay().transform(ar -> {
            int lost = pending();
            if (lost > 0) {
                LOG.warn("{} settles could not reach the state store before it closed; their spend is not recorded", lost);
            }
            return shared.close();
        });
    }

    private void keep(Hold hold, Charge charge) {
        if (pending.size() < MAX_PENDING) {
            pending.add(new Held(hold, charge));
        }
    }

    /** Replays the held-back settles in order, one at a time; completes when none is left or one fails. */
    private Future<Void> replay() {
        Promise<Void> done;
        synchronized (this) {
            if (replaying != null) {
                return replaying;
            }
            if (pending.isEmpty()) {
                return Future.succeededFuture();
            }
            done = Promise.promise();
            replaying = done.future();
        }
        replayNext(done);
        return done.future();
    }

    private void replayNext(Promise<Void> done) {
        Held next;
        synchronized (this) {
            next = pending.peek();
            if (next == null) {
                replaying = null;
            }
        }
        if (next == null) {
            done.complete();
            return;
        }
        shared.settle(next.hold(), next.charge()).onComplete(ar -> {
            synchronized (this) {
                if (ar.succeeded()) {
                    pending.poll();
                } else {
                    // It stays first in line; the next heartbeat that gets an answer tries again.
                    replaying = null;
                }
            }
            if (ar.succeeded()) {
                replayNext(done);
            } else {
                done.complete();
            }
        });
    }

    /** A settle waiting for the store. */
    private record Held(Hold hold, Charge charge) {
    }
}
