package dev.gearbox.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A team's settles on their way to the store, oldest first: the batch sent (or to be sent again, as it was), the
 * batches of earlier days closed at midnight, and the open batch gathering now. Guarded by its {@link TeamLease}.
 */
final class SettleQueue {

    private final ArrayDeque<SettleBatch> sealed = new ArrayDeque<>();
    private SettleBatch open;
    private SettleBatch sending;

    /** The batch a settle of {@code window} joins: the open one, unless that is of another day. */
    SettleBatch batchFor(Window window) {
        if (open != null && !open.holds(window)) {
            sealed.add(open);
            open = null;
        }
        if (open == null) {
            open = new SettleBatch(window);
        }
        return open;
    }

    /** The batch the next call carries: the one sent before and not yet counted, else the oldest; or null. */
    SettleBatch next() {
        if (sending == null) {
            sending = sealed.poll();
            if (sending == null && open != null && !open.isEmpty()) {
                sending = open;
                open = null;
            }
        }
        return sending;
    }

    /** The store counted the batch sent. */
    void counted() {
        sending = null;
    }

    /** Whether batches of earlier days wait behind the one sent. */
    boolean backlog() {
        return !sealed.isEmpty();
    }

    boolean isEmpty() {
        return sending == null && sealed.isEmpty() && (open == null || open.isEmpty());
    }

    /** Batches not yet counted by the store. */
    int size() {
        return (sending == null ? 0 : 1) + sealed.size() + (open == null || open.isEmpty() ? 0 : 1);
    }

    /**
     * The requests waiting on any batch, handed over once: when the store cannot be reached their answers go on,
     * and the settles stay queued for a retry.
     */
    List<Waiter<Void>> takeWaiters() {
        List<Waiter<Void>> out = new ArrayList<>();
        if (sending != null) {
            out.addAll(sending.takeWaiters());
        }
        sealed.forEach(b -> out.addAll(b.takeWaiters()));
        if (open != null) {
            out.addAll(open.takeWaiters());
        }
        return out;
    }
}
