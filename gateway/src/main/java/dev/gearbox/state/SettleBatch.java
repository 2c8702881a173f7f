package dev.gearbox.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Settles of one team and day gathered for one call: each scope's spend (and the part of it inside the lease),
 * the usage ledger summed per key and model, and the requests waiting for it to be written. Once sent it keeps
 * its id and contents, so a retry after an outage is the same call, which the store counts once. Guarded by its
 * {@link TeamLease}.
 */
final class SettleBatch {

    private final Window window;
    private final Map<String, long[]> scopes = new HashMap<>();
    private final Map<String, long[]> rows = new LinkedHashMap<>();
    private final List<Waiter<Void>> waiters = new ArrayList<>();
    private String id;

    SettleBatch(Window window) {
        this.window = window;
    }

    Window window() {
        return window;
    }

    /** Whether a settle of {@code w} belongs to this batch: the same day. */
    boolean holds(Window w) {
        return window.day().equals(w.day());
    }

    boolean isEmpty() {
        return rows.isEmpty() && scopes.isEmpty();
    }

    void spend(String scope, long costNanos, long coveredNanos) {
        long[] s = scopes.computeIfAbsent(scope, k -> new long[2]);
        s[0] += costNanos;
        s[1] += coveredNanos;
    }

    long spend(String scope) {
        long[] s = scopes.get(scope);
        return s == null ? 0 : s[0];
    }

    long covered(String scope) {
        long[] s = scopes.get(scope);
        return s == null ? 0 : s[1];
    }

    void ledger(Charge charge) {
        long[] row = rows.computeIfAbsent((charge.key() == null ? "-" : charge.key()) + "|" + charge.model(),
                k -> new long[5]);
        row[0]++;
        row[1] += charge.costNanos();
        row[2] += charge.baselineNanos();
        row[3] += charge.promptTokens();
        row[4] += charge.completionTokens();
    }

    List<LeaseSync.LedgerRow> rows() {
        List<LeaseSync.LedgerRow> out = new ArrayList<>(rows.size());
        rows.forEach((keyModel, v) -> {
            int bar = keyModel.indexOf('|');
            String key = keyModel.substring(0, bar);
            out.add(new LeaseSync.LedgerRow(key.equals("-") ? null : key, keyModel.substring(bar + 1), v[0], v[1], v[2],
                    v[3], v[4]));
        });
        return out;
    }

    /** A request whose answer waits until this batch is written, or kept for a retry. */
    void await(Waiter<Void> waiter) {
        waiters.add(waiter);
    }

    /** The requests waiting for it, handed over once: a retry of the batch has none left to tell. */
    List<Waiter<Void>> takeWaiters() {
        List<Waiter<Void>> out = new ArrayList<>(waiters);
        waiters.clear();
        return out;
    }

    /** Its name in the store: given when it is first sent, the same on every retry. */
    String id(Supplier<String> ids) {
        if (id == null) {
            id = ids.get();
        }
        return id;
    }
}
