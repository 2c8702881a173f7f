package dev.gearbox.state;

/** What the store answered to a {@link Hold}. */
public sealed interface Verdict {

    /** There was room; the estimate is reserved until the request settles. */
    record Admitted() implements Verdict {
    }

    /**
     * A limit is reached; nothing was counted or reserved.
     *
     * @param allowed the limit
     * @param used what counts against it already: requests, tokens (used and held by requests in flight this
     *     minute), requests in flight, or nano-dollars spent in the period
     * @param reserved for a budget, the nano-dollars requests in flight hold; 0 otherwise
     * @param requested what this request asked for: 1 request, its most tokens, or its most nano-dollars
     * @param resetMs when the limit's window ends, or -1 when it never does (a total budget, concurrency)
     */
    record Refused(Limit limit, String scope, long allowed, long used, long reserved, long requested, long resetMs)
            implements Verdict {

        /** Whether this request alone asks for more than the limit, so waiting cannot help. */
        public boolean neverFits() {
            return requested > allowed;
        }

        /** Whether the limit would have room without the requests in flight, which end soon. */
        public boolean heldByRequestsInFlight() {
            return reserved > 0 && used + requested <= allowed;
        }
    }

    Admitted ADMITTED = new Admitted();

    /** The limits a request can hit; a budget names its period. */
    enum Limit {
        RPM("rpm"), TPM("tpm"), CONCURRENCY("max_concurrent"), BUDGET_DAILY("daily"), BUDGET_MONTHLY("monthly"),
        BUDGET_TOTAL("total");

        private final String reason;

        Limit(String reason) {
            this.reason = reason;
        }

        /** As refusal metrics and messages name it. */
        public String reason() {
            return reason;
        }

        public boolean budget() {
            return this == BUDGET_DAILY || this == BUDGET_MONTHLY || this == BUDGET_TOTAL;
        }

        static Limit ofBudget(Period period) {
            return switch (period) {
                case DAY -> BUDGET_DAILY;
                case MONTH -> BUDGET_MONTHLY;
                case TOTAL -> BUDGET_TOTAL;
            };
        }
    }
}
