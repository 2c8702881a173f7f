package dev.gearbox.state;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What every team's lease on one replica shares: the replica's lease id, the pool, the terms, the clock and the
 * timers, how long settles gather before a call, and where batch ids come from.
 */
record Leasing(String leaseId, LeasePool pool, LeaseTerms terms, Clock clock, Vertx vertx, long settleIntervalMs,
               Supplier<String> batchIds) {

    /** A lease held this long past its last call may have expired in the store: clocks differ, calls take time. */
    long validMs() {
        return terms.ttlMs() - terms.ttlMs() / 4;
    }

    /** An idle lease is returned, a busy one renewed, this long after its last call. */
    long renewMs() {
        return terms.ttlMs() / 3;
    }
}
