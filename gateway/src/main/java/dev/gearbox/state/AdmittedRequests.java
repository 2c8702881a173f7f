package dev.gearbox.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests a team's lease admitted and has not seen settle yet, with what each took of each scope's lease,
 * so its settle gives back exactly that. Guarded by its {@link TeamLease}.
 */
final class AdmittedRequests {

    private final Map<String, Admitted> byId = new HashMap<>();

    /** Counts a request in each of its scopes' leases. */
    void take(Hold hold, List<ScopeLease> leases) {
        long[] money = new long[leases.size()];
        for (int i = 0; i < leases.size(); i++) {
            money[i] = leases.get(i).take(hold.tokens(), hold.estimateNanos());
        }
        byId.put(hold.id(), new Admitted(leases, money, hold.window().minute(), hold.tokens()));
    }

    /**
     * Ends a request: gives back what it took of each lease, and returns per scope the part of its cost its
     * estimate covered (none for a request this lease did not admit, one of a team without limits). Null when
     * the request has limits but this lease did not admit it: it was counted another way.
     */
    long[] give(Hold hold, Charge charge) {
        Admitted a = byId.remove(hold.id());
        if (a == null && !hold.scopes().isEmpty()) {
            return null;
        }
        long[] covered = new long[hold.scopes().size()];
        if (a != null) {
            for (int i = 0; i < a.leases.size(); i++) {
                covered[i] = a.leases.get(i).give(a.minute, a.tokens, a.money[i], charge.costNanos(), charge.tokens());
            }
        }
        return covered;
    }

    /** What an admitted request took of each scope's lease. */
    private record Admitted(List<ScopeLease> leases, long[] money, long minute, long tokens) {
    }
}
