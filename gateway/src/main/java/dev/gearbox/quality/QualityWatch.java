package dev.gearbox.quality;

import io.vertx.core.Future;

/**
 * Reads the log's tally over the retention and the day's shadow spend from the store every replica shares, for
 * the gauges: the quality retained per route and the budget left are then the same on every replica.
 */
public final class QualityWatch {

    private final Quality quality;

    private QualityWatch(Quality quality) {
        this.quality = quality;
    }

    public static QualityWatch of(Quality quality) {
        return new QualityWatch(quality);
    }

    /** One read; a store that does not answer leaves the gauges as they were. */
    public Future<Void> read() {
        QualityEvents events = quality.events();
        return quality.store().tally(quality.retainedDays()).compose(tally -> {
            events.tally(tally.routes());
            return quality.store().spent(quality.today());
        }).map(spent -> {
            events.budget(spent, quality.config().shadow().dailyBudgetUsd());
            return null;
        });
    }
}
