package dev.gearbox.pricing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.CostCalculator;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.CacheOutcome;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.InlineStage;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.SseEvent;

/**
 * Prices every answer once its tokens are known: a whole answer as it comes back, a stream when it ends.
 * Tokens are those upstream reported (or the gateway counted) at the answering model's list prices; the
 * baseline is the same tokens on the baseline model, and a cache hit costs nothing and saves the baseline.
 */
public final class PricingStage implements InlineStage.Answering {

    private final RoutingRules rules;
    private final String baselineModel;

    private PricingStage(RoutingRules rules, String baselineModel) {
        this.rules = rules;
        this.baselineModel = baselineModel;
    }

    /** @param baselineModel the model savings are counted against, or null for the flagship reasoning model */
    public static PricingStage of(RoutingRules rules, String baselineModel) {
        return new PricingStage(rules, baselineModel);
    }

    @Override
    public void enter(Exchange exchange) {
    }

    @Override
    public Answer leave(Exchange exchange, Answer answer) {
        if (answer instanceof AnswerStream stream) {
            stream.observe(new StreamObserver() {
                @Override
                public void event(SseEvent data) {
                }

                @Override
                public void end(StreamEnd end) {
                    price(exchange);
                }
            });
        } else {
            price(exchange);
        }
        return answer;
    }

    private void price(Exchange exchange) {
        Usage usage = exchange.usage();
        if (usage == null) {
            return;
        }
        // Embeddings have no cheaper or dearer tier to route between: their baseline is themselves.
        ModelConfig baseline = exchange.request().operation() == Operation.CHAT_COMPLETIONS
                ? rules.current().catalog().baseline(baselineModel).orElse(null) : null;
        Cost cost;
        if (exchange.cache() == CacheOutcome.HIT) {
            cost = CostCalculator.cacheHit(baseline, usage);
        } else {
            cost = CostCalculator.cost(exchange.answeredModel(), baseline, usage);
        }
        exchange.priced(usage, cost);
    }
}
