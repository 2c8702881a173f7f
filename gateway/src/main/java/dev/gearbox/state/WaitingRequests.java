package dev.gearbox.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The requests of a team that did not fit its lease, waiting for a call to top it up; each remembers the last
 * call that asked room for it, so only an answer to what was asked for it can refuse it. Guarded by its {@link TeamLease}.
 */
final class WaitingRequests {

    private final List<Pending> waiting = new ArrayList<>();

    Waiter<Verdict> add(Hold hold, List<ScopeLease> leases) {
        Pending pending = new Pending(hold, leases, Waiter.here());
        waiting.add(pending);
        return pending.waiter;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** What call {@code call} asks for them, per scope: requests, tokens, slots and money. */
    Map<ScopeLease, long[]> needs(long call) {
        Map<ScopeLease, long[]> needs = new HashMap<>();
        for (Pending p : waiting) {
            p.askedIn = call;
            for (ScopeLease lease : p.leases) {
                long[] need = needs.computeIfAbsent(lease, l -> new long[4]);
                need[0]++;
                need[1] += p.hold.tokens();
                need[2]++;
                need[3] += p.hold.estimateNanos();
            }
        }
        return needs;
    }

    /**
     * After call {@code call} was answered with {@code grants} (for the scopes {@code asked}): admits through
     * {@code admit} those that now fit, refuses those it asked room for that did not get it, and keeps the rest;
     * the outcomes are added to {@code outcomes}, to be told outside the lease's lock.
     */
    void answered(long call, List<ScopeLease> asked, List<LeaseGrant.ScopeGrant> grants, Admission admit,
                  List<Runnable> outcomes) {
        for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            for (ScopeLease lease : p.leases) {
                lease.roll(p.hold.window().minute());
            }
            ScopeLease.Lack lack = ScopeLease.firstLacking(p.leases, p.hold);
            if (lack == null) {
                admit.take(p.hold, p.leases);
                it.remove();
                outcomes.add(() -> p.waiter.complete(Verdict.ADMITTED));
            } else if (p.askedIn == call && asked.contains(lack.lease())) {
                Verdict.Refused refused = lack.lease().refusal(lack.share(), p.hold, grants.get(asked.indexOf(lack.lease())));
                it.remove();
                outcomes.add(() -> p.waiter.complete(refused));
            }
        }
    }

    /** The store could not be reached: every waiting request takes the fail mode. */
    void failAll(Throwable cause, List<Runnable> outcomes) {
        for (Pending p : waiting) {
            outcomes.add(() -> p.waiter.fail(cause));
        }
        waiting.clear();
    }

    /** Counts a request in the lease. */
    interface Admission {
        void take(Hold hold, List<ScopeLease> leases);
    }

    /** A request waiting for room, and the last call that asked for it. */
    private static final class Pending {
        final Hold hold;
        final List<ScopeLease> leases;
        final Waiter<Verdict> waiter;
        long askedIn = -1;

        Pending(Hold hold, List<ScopeLease> leases, Waiter<Verdict> waiter) {
            this.hold = hold;
            this.leases = leases;
            this.waiter = waiter;
        }
    }
}
