package dev.gearbox.telemetry;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.state.BudgetLevel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Set;

/**
 * Meters of keys' and teams' limits: refusals by reason and downgrades, counted as requests finish, and
 * each team's budgets, spend and what remains, set from the store's levels as they are read.
 *
 * <p>Refusals and downgrades name a tenant as {@link TenantTags} does; the budget gauges name every team
 * that has a budget, one series per team and period, since the soft-limit alert must hear each of them.
 */
public final class LimitsListener implements ExchangeListener {

    private static final String REFUSED = "limit_";

    private final MeterRegistry registry;
    private final TenantTags tenants;
    private final MultiGauge limit;
    private final MultiGauge spent;
    private final MultiGauge remaining;
    private final MultiGauge soft;

    public LimitsListener(MeterRegistry registry, TenantTags tenants) {
        this.registry = registry;
        this.tenants = tenants;
        tenants.onDemoted(this::forget);
        this.limit = MultiGauge.builder(MeterNames.BUDGET_LIMIT).baseUnit(MeterNames.USD).register(registry);
        this.spent = MultiGauge.builder(MeterNames.BUDGET_SPENT).baseUnit(MeterNames.USD).register(registry);
        this.remaining = MultiGauge.builder(MeterNames.BUDGET_REMAINING).baseUnit(MeterNames.USD).register(registry);
        this.soft = MultiGauge.builder(MeterNames.BUDGET_SOFT_LIMIT).register(registry);
    }

    @Override
    public void finished(Exchange exchange) {
        String outcome = exchange.outcome();
        if (outcome == null) {
            return;
        }
        if (outcome.startsWith(REFUSED)) {
            registry.counter(MeterNames.LIMIT_REFUSALS, MeterNames.TAG_TENANT, tenants.tag(exchange.tenant()), MeterNames.TAG_REASON,
                    outcome.substring(REFUSED.length())).increment();
        }
    }

    @Override
    public void routed(Exchange exchange) {
        if (exchange.budget().downgrade() != null) {
            registry.counter(MeterNames.BUDGET_DOWNGRADES, MeterNames.TAG_TENANT, tenants.tag(exchange.tenant())).increment();
        }
    }

    private void forget(Set<String> demoted) {
        for (String name : List.of(MeterNames.LIMIT_REFUSALS, MeterNames.BUDGET_DOWNGRADES)) {
            for (String tenant : demoted) {
                registry.find(name).tag(MeterNames.TAG_TENANT, tenant).meters().forEach(registry::remove);
            }
        }
    }

    /** The teams' budgets as last read from the store; a team no longer listed loses its series. */
    public void levels(List<BudgetLevel> levels) {
        limit.register(rows(levels, l -> l.budgetNanos() / 1e9), true);
        spent.register(rows(levels, l -> l.spentNanos() / 1e9), true);
        remaining.register(rows(levels, BudgetLevel::remainingUsd), true);
        soft.register(rows(levels, l -> l.soft() ? 1 : 0), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<BudgetLevel> levels, java.util.function.ToDoubleFunction<BudgetLevel> value) {
        return levels.stream().<MultiGauge.Row<?>>map(l -> MultiGauge.Row.of(Tags.of(MeterNames.TAG_TENANT, l.team(),
                MeterNames.TAG_PERIOD, l.period().wireName()), value.applyAsDouble(l))).toList();
    }
}
