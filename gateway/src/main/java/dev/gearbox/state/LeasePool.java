package dev.gearbox.state;

import io.vertx.core.Future;

/** Where leases come from: a shared store that hands replicas slices of every limit. */
public interface LeasePool {

    /**
     * Settles a batch and resizes a replica's lease on a team in one atomic step; fails with a
     * {@link StoreUnavailableException} when the store cannot be reached, and may then have run or not.
     */
    Future<LeaseGrant> sync(LeaseSync sync, LeaseTerms terms);

    /** Whether the pool answered its last call. */
    boolean available();
}
