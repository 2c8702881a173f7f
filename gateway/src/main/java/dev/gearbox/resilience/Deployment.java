package dev.gearbox.resilience;

import dev.gearbox.config.ResiliencePolicy;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The protection of one model deployment: its policy, circuit breaker, bulkhead and retry budget.
 * Shared by every event loop; all parts are thread-safe.
 *
 * @param model the model id
 * @param policy timeouts, retries, breaker and bulkhead settings
 * @param breaker opens after too many failed or slow calls, then lets probes through
 * @param bulkhead caps concurrent calls
 * @param retries bounds retries to a share of requests
 */
public record Deployment(String model, ResiliencePolicy policy, CircuitBreaker breaker, Bulkhead bulkhead,
                         RetryBudget retries) {

    /** Whether the breaker lets calls through now (closed, or half-open with probes left). */
    public boolean servable() {
        CircuitBreaker.State state = breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }
}
