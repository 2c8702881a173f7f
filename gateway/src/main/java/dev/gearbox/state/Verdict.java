package dev.gearbox.state;

/** What the store answered to a {@link Hold}. */
public sealed interface Verdict {

    /** There was room; the estimate is reserved until the request settles. */
    record Admitted() implements Verdict {
    }

    /** A limit is reached; nothing was counted or reserved. */
    record Refused(Limit limit, String scope, long allowed, long used, long resetMs) implements Verdict {
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
