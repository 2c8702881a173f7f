package dev.gearbox.state;

import java.util.List;
import java.util.Objects;

/**
 * One call a replica makes for its lease on a team: what it settled since its last call, and what it holds and
 * needs of each scope's limits.
 *
 * @param leaseId the replica's lease, the same on every call until the replica stops
 * @param batchId names the settles carried, so the store counts them once however often the call is replayed;
 *                {@code -} when it carries none
 * @param rateWindow now: the minute whose requests and tokens are held
 * @param spendWindow the day and month the settled spend and usage belong to
 */
public record LeaseSync(String team, String leaseId, String batchId, Window rateWindow, Window spendWindow,
                        List<ScopeSync> scopes, List<LedgerRow> ledger) {

    public static final String NO_BATCH = "-";

    public LeaseSync {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(leaseId, "leaseId");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(rateWindow, "rateWindow");
        Objects.requireNonNull(spendWindow, "spendWindow");
        scopes = List.copyOf(scopes);
        ledger = List.copyOf(ledger);
    }

    /**
     * One scope's part: its limits, the spend settled against it, and per share what the lease holds (kept,
     * whatever the room) and needs now beyond that ({@link Share#KEEP} asks for nothing more).
     */
    public record ScopeSync(Scope scope, long spendNanos, Share requests, Share tokens, Share slots, Share money) {

        public ScopeSync {
            Objects.requireNonNull(scope, "scope");
            if (spendNanos < 0) {
                throw new IllegalArgumentException("spendNanos: " + spendNanos + " (expected: >= 0)");
            }
        }
    }

    /** What a lease holds of one limit, and what more it needs now (-1: nothing more). */
    public record Share(long held, long needed) {

        public static final Share NONE = new Share(0, -1);

        public Share {
            if (held < 0) {
                throw new IllegalArgumentException("held: " + held + " (expected: >= 0)");
            }
            if (needed < -1) {
                throw new IllegalArgumentException("needed: " + needed + " (expected: >= -1)");
            }
        }
    }

    /** The usage of a batch for one key and model, summed. */
    public record LedgerRow(String key, String model, long requests, long costNanos, long baselineNanos,
                            long promptTokens, long completionTokens) {

        public LedgerRow {
            Objects.requireNonNull(model, "model");
        }
    }
}
