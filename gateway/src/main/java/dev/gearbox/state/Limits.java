package dev.gearbox.state;

/**
 * The limits of one scope (a team or a key) as the store enforces them; -1 is no limit. Money is in
 * nano-dollars, so every store adds exact integers.
 */
public record Limits(long rpm, long tpm, long maxConcurrent, long dailyNanos, long monthlyNanos, long totalNanos) {

    public static final Limits NONE = new Limits(-1, -1, -1, -1, -1, -1);

    /** Nano-dollars per dollar. */
    public static final double NANOS_PER_USD = 1e9;

    public static long nanos(double usd) {
        return Math.round(usd * NANOS_PER_USD);
    }

    public static double usd(long nanos) {
        return nanos / NANOS_PER_USD;
    }

    long budget(Period period) {
        return switch (period) {
            case DAY -> dailyNanos;
            case MONTH -> monthlyNanos;
            case TOTAL -> totalNanos;
        };
    }
}
