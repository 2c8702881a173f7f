package dev.gearbox.server;

import dev.gearbox.admission.ApiKeys;
import dev.gearbox.admission.BudgetWatch;
import dev.gearbox.console.Console;
import dev.gearbox.quality.Quality;
import dev.gearbox.quality.QualityWatch;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.state.Store;
import dev.gearbox.telemetry.LimitsListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The gateway's work at intervals. A run never overlaps the one before it: a slow store or disk skips ticks
 * instead of piling them up.
 */
final class Periodic {

    static final long ACCOUNTS_POLL_MS = 250;
    static final long BUDGET_READ_MS = 2000;
    static final long LATENCY_SHARE_MS = 1000;
    static final long QUALITY_READ_MS = 2000;
    /** How often the console's history reads the meters; it also reads them whenever the overview is asked for. */
    static final long METER_HISTORY_MS = 15_000;

    private final Vertx vertx;

    Periodic(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Keys and teams changed on another replica (a revocation) are seen here within this interval; between
     * changes a poll is one small read.
     */
    void pollAccounts(ApiKeys keys) {
        every(ACCOUNTS_POLL_MS, ACCOUNTS_POLL_MS, keys::refresh);
    }

    /**
     * Routing by latency sees every replica's calls, not only its own: each second a replica publishes its
     * averages and takes the replicas' mean. A replica that stops publishing drops out after ten seconds.
     */
    void shareLatency(Store store, LatencyStats latency, Clock clock) {
        String replica = UUID.randomUUID().toString();
        every(LATENCY_SHARE_MS, LATENCY_SHARE_MS, () -> store.shareLatency(replica, latency.local(), clock.millis(),
                10 * LATENCY_SHARE_MS).onSuccess(latency::shared));
    }

    /** Sets the budget meters from the store, from the start; a store that does not answer leaves them as they were. */
    void watchBudgets(BudgetWatch budgets, LimitsListener limits) {
        every(0, BUDGET_READ_MS, () -> budgets.read().onSuccess(limits::levels));
    }

    /** Reads the quality tally and the day's shadow spend, from the start. */
    void watchQuality(Quality quality) {
        QualityWatch watch = QualityWatch.of(quality);
        every(0, QUALITY_READ_MS, watch::read);
    }

    /** Keeps the console's history of the meters, on a worker thread: it walks the whole registry. */
    void recordMeters(Console console) {
        every(METER_HISTORY_MS, METER_HISTORY_MS, () -> vertx.executeBlocking(() -> {
            console.sampleMeters();
            return null;
        }, false));
    }

    /** Checks the rules directory, on a worker thread; a slow disk never delays requests. */
    void watchRules(RoutingRules rules, long intervalMs) {
        every(intervalMs, intervalMs, () -> vertx.executeBlocking(rules::reload, false));
    }

    private void every(long initialMs, long intervalMs, Supplier<Future<?>> run) {
        AtomicBoolean running = new AtomicBoolean();
        vertx.setPeriodic(initialMs, intervalMs, id -> {
            if (running.compareAndSet(false, true)) {
                run.get().onComplete(ar -> running.set(false));
            }
        });
    }
}
