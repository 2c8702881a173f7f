package dev.gearbox.state;

/**
 * The calendar a request falls in: its minute (for rate limits), day and month (for budgets), and when
 * each ends. Computed by the caller from its clock and zone, so every store counts in the same windows.
 *
 * @param nowMs epoch milliseconds
 * @param minute the epoch minute
 * @param day e.g. {@code 2026-12-01}
 * @param month e.g. {@code 2026-12}
 */
public record Window(long nowMs, long minute, String day, String month, long dayEndMs, long monthEndMs) {

    /** When the budget of {@code period} next resets; -1 for a total, which never does. */
    public long resetMs(Period period) {
        return switch (period) {
            case DAY -> dayEndMs;
            case MONTH -> monthEndMs;
            case TOTAL -> -1;
        };
    }

    String period(Period period) {
        return switch (period) {
            case DAY -> "d:" + day;
            case MONTH -> "m:" + month;
            case TOTAL -> "t";
        };
    }
}
