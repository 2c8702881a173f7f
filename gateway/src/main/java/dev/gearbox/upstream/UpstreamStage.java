package dev.gearbox.upstream;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import dev.gearbox.providers.Providers;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.time.Scheduler;
import dev.gearbox.work.Offload;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The last stage: sends the request to the routed model, then its fallbacks, through breakers, bulkheads,
 * retries and timers, and answers with the first good answer.
 */
public final class UpstreamStage implements Stage {

    /**
     * What the attempts of every request share; the providers are one event loop's own.
     *
     * @param providers the providers, by name
     * @param deployments breakers, bulkheads and retry budgets, shared by every loop
     * @param classifier turns what went wrong into a failure
     * @param retryRule decides what follows a failure
     * @param scheduler time and timers
     * @param reader reads responses into failures, answers and streams
     */
    record Services(Providers providers, Deployments deployments, FailureClassifier classifier, RetryRule retryRule,
                    Scheduler scheduler, ResponseReader reader) {
    }

    private final Services services;

    private UpstreamStage(Services services) {
        this.services = services;
    }

    public static UpstreamStage of(Providers providers, Deployments deployments, FailureClassifier classifier,
                                   RetryRule retryRule, Scheduler scheduler) {
        return of(providers, deployments, classifier, retryRule, scheduler, Offload.inPlace());
    }

    /** @param offload where a large answer is checked, so it does not hold the event loop */
    public static UpstreamStage of(Providers providers, Deployments deployments, FailureClassifier classifier,
                                   RetryRule retryRule, Scheduler scheduler, Offload offload) {
        return new UpstreamStage(new Services(providers, deployments, classifier, retryRule, scheduler,
                new ResponseReader(classifier, scheduler, offload)));
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        RouteDecision decision = exchange.decision();
        List<ModelConfig> candidates = new ArrayList<>(1 + decision.fallbacks().size());
        candidates.add(decision.model());
        candidates.addAll(decision.fallbacks());
        return new Attempts(exchange, services, candidates, decision.deadlineMs()).start();
    }
}
