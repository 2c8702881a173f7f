package dev.gearbox.telemetry;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.routing.RouteDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters cost escalations: answers given by a fallback dearer than the routed model (a route's
 * {@code fallback_max_cost_ratio} allows them), by route and answering model, and what they cost beyond the
 * same tokens on the routed model.
 */
public final class FallbackCostListener implements ExchangeListener {

    private final MeterRegistry registry;

    public FallbackCostListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void priced(Exchange exchange) {
        RouteDecision decision = exchange.decision();
        ModelConfig answered = exchange.answeredModel();
        if (decision == null || answered == null || decision.costRatio(answered) <= 1) {
            return;
        }
        registry.counter(MeterNames.FALLBACK_ESCALATIONS, MeterNames.TAG_ROUTE, decision.route(), MeterNames.TAG_MODEL,
                answered.id()).increment();
        Usage usage = exchange.usage();
        double routed = decision.model().price().cost(usage.promptTokens(), usage.cachedPromptTokens(),
                usage.cacheWritePromptTokens(), usage.completionTokens());
        double extra = exchange.cost().usd() - routed;
        if (extra > 0) {
            Counter.builder(MeterNames.FALLBACK_ESCALATION_COST).baseUnit(MeterNames.USD)
                    .tags(MeterNames.TAG_ROUTE, decision.route(), MeterNames.TAG_MODEL, answered.id()).register(registry)
                    .increment(extra);
        }
    }
}
