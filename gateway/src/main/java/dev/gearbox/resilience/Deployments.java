package dev.gearbox.resilience;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.config.ResilienceConfig;
import dev.gearbox.config.ResiliencePolicy;
import dev.gearbox.routing.Catalog;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Deployment} of each model, made on first use from the resilience config. Breakers and
 * bulkheads are Resilience4j's, their states and calls exported through its Micrometer binding.
 */
public final class Deployments {

    private static final Logger log = LoggerFactory.getLogger(Deployments.class);
    /** Retries a quiet deployment may make before its budget has filled from traffic. */
    private static final double RETRY_RESERVE = 10;

    private final ResilienceConfig config;
    private final Clock clock;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final ConcurrentHashMap<String, Deployment> byModel = new ConcurrentHashMap<>();

    public Deployments(ResilienceConfig config, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.clock = clock;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    public Deployment of(ModelConfig model) {
        return byModel.computeIfAbsent(model.id(), this::create);
    }

    /** The deployment of a model that has been used, or null: looking does not make one, nor its meters. */
    public Deployment existing(ModelConfig model) {
        return byModel.get(model.id());
    }

    /** Whether some chat model of the catalog can serve: its provider configured and its breaker not open. */
    public boolean anyServable(Catalog catalog) {
        for (ModelConfig m : catalog.models()) {
            if (m.kind() == ModelKind.CHAT && catalog.available(m) && of(m).servable()) {
                return true;
            }
        }
        return false;
    }

    private Deployment create(String model) {
        ResiliencePolicy p = config.policyFor(model);
        CircuitBreaker breaker = breakers.circuitBreaker(model, CircuitBreakerConfig.custom()
                .clock(clock)
                .failureRateThreshold(p.breakerFailureRate())
                .slowCallRateThreshold(p.breakerSlowCallRate())
                .slowCallDurationThreshold(Duration.ofMillis(p.breakerSlowCallMs()))
                .slidingWindowSize(p.breakerWindow())
                .minimumNumberOfCalls(p.breakerMinimumCalls())
                .waitDurationInOpenState(Duration.ofMillis(p.breakerOpenMs()))
                .permittedNumberOfCallsInHalfOpenState(p.breakerHalfOpenCalls())
                .recordExceptions(Throwable.class)
                .build());
        breaker.getEventPublisher().onStateTransition(e ->
                log.warn("circuit breaker of {}: {}", model, e.getStateTransition()));
        Bulkhead bulkhead = bulkheads.bulkhead(model, BulkheadConfig.custom()
                .maxConcurrentCalls(p.maxConcurrent()).maxWaitDuration(Duration.ZERO).build());
        return new Deployment(model, p, breaker, bulkhead, new RetryBudget(p.retryBudgetRatio(), RETRY_RESERVE));
    }
}
