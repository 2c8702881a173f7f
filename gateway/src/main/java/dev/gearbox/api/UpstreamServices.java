package dev.gearbox.api;

import dev.gearbox.providers.Providers;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.LatencyStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * What the handlers need to send requests upstream: one per event loop, its providers that loop's own.
 *
 * @param providers the providers, by name
 * @param deployments breakers, bulkheads and retry budgets, shared by every loop
 * @param errors turns provider failures into client errors
 * @param latency live latency statistics, fed by successful calls
 * @param meters where retries and fallbacks are counted
 * @param clock the clock, for {@code Retry-After} dates
 * @param random jitter for backoff
 */
public record UpstreamServices(Providers providers, Deployments deployments, UpstreamErrors errors, LatencyStats latency,
                               MeterRegistry meters, Clock clock, RandomGenerator random) {
}
