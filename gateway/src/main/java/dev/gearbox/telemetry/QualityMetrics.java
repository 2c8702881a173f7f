package dev.gearbox.telemetry;

import dev.gearbox.quality.Comparison;
import dev.gearbox.quality.QualityEvents;
import dev.gearbox.quality.QualityTally;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The quality capability's meters: verdicts and feedback by route and tier, shadow spend by route, skipped
 * samples by reason, the day's shadow budget, and per route the quality retained over the retention with its
 * sample size. The budget counts as exhausted from the first shadow it refuses until the day's spend starts
 * again from nothing. Tags are bounded: routes come from the rules, tiers are the two compared, verdicts and reasons
 * fixed sets; no tenant. Thread-safe.
 */
public final class QualityMetrics implements QualityEvents {

    private final MeterRegistry registry;
    /** The day's spend and budget as last seen, and the spend at which the budget last refused a shadow (NaN: not today). */
    private final AtomicReference<double[]> budget = new AtomicReference<>(new double[] {0, Double.NaN, Double.NaN});
    private final MultiGauge retained;
    private final MultiGauge judged;

    public QualityMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.QUALITY_SHADOW_BUDGET_REMAINING, budget, b -> Math.max(0, b.get()[1] - b.get()[0]))
                .baseUnit(MeterNames.USD).register(registry);
        Gauge.builder(MeterNames.QUALITY_SHADOW_BUDGET_EXHAUSTED, budget, b -> Double.isNaN(b.get()[2]) ? 0 : 1)
                .register(registry);
        this.retained = MultiGauge.builder(MeterNames.QUALITY_RETAINED).baseUnit("ratio").register(registry);
        this.judged = MultiGauge.builder(MeterNames.QUALITY_JUDGED).register(registry);
    }

    @Override
    public void verdict(String route, String tier, Comparison comparison) {
        registry.counter(MeterNames.QUALITY_VERDICTS, MeterNames.TAG_ROUTE, route, MeterNames.TAG_TIER, tier,
                MeterNames.TAG_VERDICT, comparison.wireName()).increment();
    }

    @Override
    public void feedback(String route, String tier, double score) {
        DistributionSummary.builder(MeterNames.QUALITY_FEEDBACK).tags(MeterNames.TAG_ROUTE, route, MeterNames.TAG_TIER, tier)
                .register(registry).record(score);
    }

    @Override
    public void shadowSpent(String route, double usd) {
        Counter.builder(MeterNames.QUALITY_SHADOW_COST).baseUnit(MeterNames.USD).tags(MeterNames.TAG_ROUTE, route)
                .register(registry).increment(usd);
    }

    @Override
    public void skipped(Skip reason) {
        registry.counter(MeterNames.QUALITY_SHADOW_SKIPPED, MeterNames.TAG_REASON, reason.tag()).increment();
        if (reason == Skip.BUDGET) {
            budget.updateAndGet(b -> new double[] {b[0], b[1], b[0]});
        }
    }

    /** Spend only grows within a day: once it is below what it was when the budget refused, a new day has begun. */
    @Override
    public void budget(double spentUsd, double budgetUsd) {
        budget.updateAndGet(b -> new double[] {spentUsd, budgetUsd, spentUsd < b[2] ? Double.NaN : b[2]});
    }

    @Override
    public void tally(List<QualityTally.RouteReport> routes) {
        List<QualityTally.RouteReport> judgedRoutes = routes.stream().filter(r -> r.judgedCheap() > 0).toList();
        retained.register(judgedRoutes.stream().<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(
                Tags.of(MeterNames.TAG_ROUTE, r.route()), r.retained())).toList(), true);
        judged.register(judgedRoutes.stream().<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(
                Tags.of(MeterNames.TAG_ROUTE, r.route()), r.judgedCheap())).toList(), true);
    }
}
