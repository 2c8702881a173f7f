package dev.gearbox.state;

import java.util.List;

/** What the store answered to a {@link LeaseSync}: per scope, in its order, what the lease now holds. */
public record LeaseGrant(List<ScopeGrant> scopes) {

    public LeaseGrant {
        scopes = List.copyOf(scopes);
    }

    /**
     * One scope's shares, and the scope's counts as the store saw them, which a refusal reports.
     *
     * @param requestsCounted requests of the minute, every lease's grants included
     * @param tokensCounted tokens of the minute, likewise
     * @param inFlight requests in flight and slots leases hold
     * @param reservedNanos money reserved by requests in flight and leases, this one's included
     * @param spentNanos spend in each {@link Period}, by ordinal
     */
    public record ScopeGrant(long requests, long tokens, long slots, long moneyNanos, long requestsCounted,
                             long tokensCounted, long inFlight, long reservedNanos, long[] spentNanos) {

        public long spent(Period period) {
            return spentNanos[period.ordinal()];
        }
    }
}
