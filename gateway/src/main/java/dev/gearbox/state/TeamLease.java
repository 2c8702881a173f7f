package dev.gearbox.state;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A replica's lease on one team's limits, and the calls that keep it: requests that fit what the lease holds are
 * admitted here, without the store; settles gather for {@code settle_interval_ms} and go in one call, which also
 * renews the lease, tops up what runs low and, when idle, returns what no request uses. At most one call is on
 * its way at a time; a call that fails is sent again as it was, so the store counts its settles once.
 */
final class TeamLease {

    private static final long RETRY_MS = 250;

    /** What the lease is doing about the store. */
    private enum Phase {
        /** Nothing on its way; a renewal or retry may be due. */
        IDLE,
        /** Settles are gathering for a call when the interval ends. */
        GATHERING,
        /** A call is on its way. */
        CALLING
    }

    private final String team;
    private final Leasing leasing;
    private final Map<String, ScopeLease> scopes = new LinkedHashMap<>();
    private final AdmittedRequests admitted = new AdmittedRequests();
    private final WaitingRequests waiting = new WaitingRequests();
    private final SettleQueue settles = new SettleQueue();
    private Phase phase = Phase.IDLE;
    private boolean again;
    private boolean closing;
    private long timer = -1;
    private long validUntilMs = Long.MIN_VALUE;
    private long lastAdmitMs = Long.MIN_VALUE;
    private Window latest;
    private long calls;
    /** The call on its way, which closing waits for. */
    private Future<Void> inFlight = Future.succeededFuture();

    TeamLease(String team, Leasing leasing) {
        this.team = team;
        this.leasing = leasing;
    }

    /** Admits a request from the lease, or once a call has topped it up; fails when the store cannot be reached. */
    Future<Verdict> admit(Hold hold) {
        Waiter<Verdict> waiter;
        Call call;
        synchronized (this) {
            long now = leasing.clock().millis();
            latest = hold.window();
            lastAdmitMs = now;
            List<ScopeLease> leases = leases(hold);
            if (now < validUntilMs && ScopeLease.firstLacking(leases, hold) == null) {
                admitted.take(hold, leases);
                return Future.succeededFuture(Verdict.ADMITTED);
            }
            if (!leasing.pool().available() && phase != Phase.CALLING) {
                return Future.failedFuture(new StoreUnavailableException("redis: unreachable since an earlier call", null));
            }
            waiter = waiting.add(hold, leases);
            call = callSoon();
        }
        send(call);
        return waiter.future();
    }

    /**
     * Ends a request this lease admitted (or, for a team without limits, any request of it): its cost goes into
     * the next call, and the future completes once that call is answered, or at once when the store cannot be
     * reached (the settle is kept for a retry). Null when the request is not this lease's.
     */
    Future<Void> settle(Hold hold, Charge charge) {
        Waiter<Void> waiter;
        Call call;
        synchronized (this) {
            long[] covered = admitted.give(hold, charge);
            if (covered == null) {
                return null;
            }
            if (charge == Charge.NOTHING) {
                return Future.succeededFuture();
            }
            if (latest == null) {
                latest = hold.window();
            }
            SettleBatch batch = settles.batchFor(hold.window());
            for (int i = 0; i < hold.scopes().size(); i++) {
                batch.spend(hold.scopes().get(i).name(), charge.costNanos(), covered[i]);
            }
            batch.ledger(charge);
            if (!leasing.pool().available()) {
                scheduleRetry();
                return Future.succeededFuture();
            }
            waiter = Waiter.here();
            batch.await(waiter);
            call = settled();
        }
        send(call);
        return waiter.future();
    }

    /** Returns everything and writes every settle, one call after another; completes when done or a call fails. */
    Future<Void> close() {
        Call call;
        synchronized (this) {
            closing = true;
            cancelTimer();
            if (phase == Phase.CALLING) {
                return inFlight.transform(ar -> close());
            }
            call = prepare();
        }
        if (call == null) {
            return Future.succeededFuture();
        }
        return send(call).compose(v -> closeAgain());
    }

    /** Goes on while settles are left; requests still in flight (a drain that ran out) are left to expire. */
    private Future<Void> closeAgain() {
        synchronized (this) {
            if (settles.isEmpty()) {
                return Future.succeededFuture();
            }
        }
        return close();
    }

    /** Settles sent or gathered but not yet counted by the store. */
    synchronized int unsent() {
        return settles.size();
    }

    private List<ScopeLease> leases(Hold hold) {
        List<ScopeLease> leases = new ArrayList<>(hold.scopes().size());
        for (Scope scope : hold.scopes()) {
            ScopeLease lease = scopes.computeIfAbsent(scope.name(), n -> new ScopeLease(n, scope.limits()));
            lease.limits(scope.limits());
            lease.roll(hold.window().minute());
            leases.add(lease);
        }
        return leases;
    }

    /** A request is waiting for room: a call now, or right after the one on its way. */
    private Call callSoon() {
        if (phase == Phase.CALLING) {
            again = true;
            return null;
        }
        cancelTimer();
        return prepare();
    }

    /** A settle joined a batch: a call once the interval ends, or after the one on its way. */
    private Call settled() {
        switch (phase) {
            case CALLING -> again = true;
            case GATHERING -> {
            }
            case IDLE -> {
                cancelTimer();
                if (leasing.settleIntervalMs() == 0) {
                    return next();
                }
                phase = Phase.GATHERING;
                timer = leasing.vertx().setTimer(leasing.settleIntervalMs(), id -> fire(id, Phase.GATHERING));
            }
        }
        return null;
    }

    /** A timer went off: the gathering ended, or a renewal or retry is due. */
    private void fire(long id, Phase expected) {
        Call call = null;
        synchronized (this) {
            if (timer != id || phase != expected) {
                return;
            }
            timer = -1;
            phase = Phase.IDLE;
            if (leasing.pool().available() || expected == Phase.GATHERING) {
                call = next();
            } else {
                scheduleRetry();
            }
        }
        send(call);
    }

    /** The next call; when there is nothing to say, the renewal of what is held. */
    private Call next() {
        Call call = prepare();
        if (call == null) {
            scheduleRenewal();
        }
        return call;
    }

    /**
     * The next call, or null when there is nothing to say; the lease is {@link Phase#CALLING} once it returns one.
     * Returns what idle requests do not use (all of it when closing); grows what runs low and asks for what
     * waiting requests need, unless the batch is of another day than now (the store would size the lease
     * against that day's spend), in which case another call follows at once.
     */
    private Call prepare() {
        long now = leasing.clock().millis();
        SettleBatch sending = settles.next();
        Window rate = rateWindow(now);
        boolean sameDay = sending == null || sending.holds(rate);
        boolean returning = closing || waiting.isEmpty() && now - lastAdmitMs >= leasing.renewMs() && sameDay;
        boolean grow = !returning && sameDay;
        calls++;
        Map<ScopeLease, long[]> needs = grow ? waiting.needs(calls) : Map.of();
        List<ScopeLease> sent = new ArrayList<>();
        List<LeaseSync.ScopeSync> syncs = new ArrayList<>();
        for (ScopeLease lease : scopes.values()) {
            lease.roll(rate.minute());
            long[] need = needs.get(lease);
            long spend = sending == null ? 0 : sending.spend(lease.name());
            if (need == null && spend == 0 && !lease.holdsAnything()) {
                continue;
            }
            syncs.add(lease.sync(spend, sending == null ? 0 : sending.covered(lease.name()), returning, grow,
                    need == null ? new long[] {-1, -1, -1, -1} : need));
            sent.add(lease);
        }
        if (syncs.isEmpty() && sending == null) {
            return null;
        }
        LeaseSync sync = new LeaseSync(team, leasing.leaseId(), sending == null ? LeaseSync.NO_BATCH
                : sending.id(leasing.batchIds()), rate, sending == null ? rate : sending.window(), syncs,
                sending == null ? List.of() : sending.rows());
        phase = Phase.CALLING;
        again = !sameDay;
        Call call = new Call(sync, sent, now, calls, sending, Promise.promise());
        inFlight = call.done.future();
        return call;
    }

    private Future<Void> send(Call call) {
        if (call == null) {
            return Future.succeededFuture();
        }
        leasing.pool().sync(call.sync, leasing.terms()).onComplete(ar -> {
            answered(call, ar);
            call.done.handle(ar.mapEmpty());
        });
        return call.done.future();
    }

    private void answered(Call call, AsyncResult<LeaseGrant> ar) {
        List<Waiter<Void>> settled = new ArrayList<>();
        List<Runnable> outcomes = new ArrayList<>();
        Call next = null;
        synchronized (this) {
            phase = Phase.IDLE;
            if (ar.succeeded()) {
                validUntilMs = call.sentMs + leasing.validMs();
                if (call.batch != null) {
                    for (ScopeLease lease : scopes.values()) {
                        lease.spent(call.batch.covered(lease.name()));
                    }
                    settled.addAll(call.batch.takeWaiters());
                    settles.counted();
                }
                List<LeaseGrant.ScopeGrant> grants = ar.result().scopes();
                for (int i = 0; i < call.sent.size(); i++) {
                    call.sent.get(i).granted(grants.get(i), call.sync.rateWindow().minute(), call.sync.scopes().get(i));
                }
                waiting.answered(call.number, call.sent, grants, admitted::take, outcomes);
                if (!waiting.isEmpty() || settles.backlog()) {
                    next = next();
                } else if (again && !closing) {
                    next = settled();
                }
                if (next == null && phase == Phase.IDLE) {
                    scheduleRenewal();
                }
            } else {
                // Kept for a retry; the answers waiting on them go on, and the requests waiting for room take the fail mode.
                settled.addAll(settles.takeWaiters());
                waiting.failAll(ar.cause() instanceof StoreUnavailableException ? ar.cause()
                        : new StoreUnavailableException("redis: " + ar.cause().getMessage(), ar.cause()), outcomes);
                if (!closing) {
                    scheduleRetry();
                }
            }
        }
        settled.forEach(w -> w.complete(null));
        outcomes.forEach(Runnable::run);
        send(next);
    }

    private boolean hasWork() {
        if (!settles.isEmpty()) {
            return true;
        }
        for (ScopeLease lease : scopes.values()) {
            if (lease.holdsAnything()) {
                return true;
            }
        }
        return false;
    }

    /** Renews (or returns) the lease before it can expire, while it holds anything. */
    private void scheduleRenewal() {
        if (!closing && hasWork()) {
            cancelTimer();
            timer = leasing.vertx().setTimer(leasing.renewMs(), id -> fire(id, Phase.IDLE));
        }
    }

    private void scheduleRetry() {
        if (phase == Phase.IDLE && timer == -1) {
            timer = leasing.vertx().setTimer(RETRY_MS, id -> fire(id, Phase.IDLE));
        }
    }

    private void cancelTimer() {
        if (timer != -1) {
            leasing.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    /** Now, in the minute the calls hold requests and tokens for. */
    private Window rateWindow(long now) {
        Window w = latest;
        return new Window(now, now / 60_000, w.day(), w.month(), w.dayEndMs(), w.monthEndMs());
    }

    /** A call on its way: what was asked, of which scopes, when, and the settles it carries. */
    private record Call(LeaseSync sync, List<ScopeLease> sent, long sentMs, long number, SettleBatch batch,
                        Promise<Void> done) {
    }
}
