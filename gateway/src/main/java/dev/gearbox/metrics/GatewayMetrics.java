package dev.gearbox.metrics;

import static dev.gearbox.metrics.MeterNames.TAG_MODEL;
import static dev.gearbox.metrics.MeterNames.TAG_OUTCOME;
import static dev.gearbox.metrics.MeterNames.TAG_PROVIDER;
import static dev.gearbox.metrics.MeterNames.TAG_ROUTE;
import static dev.gearbox.metrics.MeterNames.TAG_TENANT;
import static dev.gearbox.metrics.MeterNames.TAG_TIER;

import dev.gearbox.api.RequestContext;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns each finished request into meters: requests by outcome, tokens, cost, baseline cost and
 * savings, latency and time to first token, and the gateway's own overhead.
 *
 * <p>Tags are bounded: models, routes and tiers come from the catalog and rules, and a tenant is named
 * only when it is configured, else {@code other}. Thread-safe.
 */
public final class GatewayMetrics {

    private static final Duration[] OPERATION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);
    private static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.05);
    private static final String NONE = "none";
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> tenants;

    /** @param tenants the configured tenants, which may appear as tags; the rest show as {@code other} */
    public GatewayMetrics(MeterRegistry registry, Set<String> tenants) {
        this.registry = registry;
        this.tenants = Set.copyOf(tenants);
    }

    /** The outcome of a request: what the handler said, else what its status says. */
    public static String outcome(RequestContext ctx, int status) {
        if (ctx.outcome() != null) {
            return ctx.outcome();
        }
        if (status >= 200 && status < 300) {
            return "success";
        }
        if (status == 429) {
            return "rate_limited";
        }
        if (status == 504) {
            return "timeout";
        }
        return status >= 500 ? "upstream_error" : "client_error";
    }

    /** Records a request whose response has ended. */
    public void finished(RequestContext ctx, int status, long endNanos) {
        String outcome = outcome(ctx, status);
        String model = or(ctx.model());
        String provider = or(ctx.provider());
        String tier = or(ctx.tier());
        String route = or(ctx.route());
        String tenant = tenants.contains(ctx.tenant()) || "anonymous".equals(ctx.tenant()) ? ctx.tenant() : OTHER;
        Tags where = Tags.of(TAG_MODEL, model, TAG_PROVIDER, provider, TAG_TIER, tier, TAG_ROUTE, route, TAG_TENANT, tenant);

        registry.counter(MeterNames.REQUESTS, where.and(TAG_OUTCOME, outcome)).increment();
        Timer.builder(MeterNames.OPERATION_DURATION).tags(TAG_MODEL, model, TAG_PROVIDER, provider, TAG_TIER, tier,
                        TAG_ROUTE, route, TAG_OUTCOME, outcome).serviceLevelObjectives(OPERATION_BUCKETS).register(registry)
                .record(endNanos - ctx.startNanos(), TimeUnit.NANOSECONDS);
        if (ctx.firstByteNanos() > 0 && ctx.upstreamSentNanos() > 0) {
            Timer.builder(MeterNames.TIME_TO_FIRST_TOKEN).tags(TAG_MODEL, model, TAG_PROVIDER, provider, TAG_TIER, tier)
                    .serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry)
                    .record(ctx.firstByteNanos() - ctx.startNanos(), TimeUnit.NANOSECONDS);
        }
        long overhead = overheadNanos(ctx, endNanos);
        if (overhead >= 0) {
            Timer.builder(MeterNames.OVERHEAD).tag(MeterNames.TAG_STREAM, String.valueOf(ctx.stream()))
                    .serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry).record(overhead, TimeUnit.NANOSECONDS);
        }
        Usage usage = ctx.usage();
        if (usage != null) {
            tokens(where, "input", usage.promptTokens() - usage.cachedPromptTokens());
            tokens(where, "cached_input", usage.cachedPromptTokens());
            tokens(where, "output", usage.completionTokens() - usage.reasoningTokens());
            tokens(where, "reasoning", usage.reasoningTokens());
            tokenUsage(model, provider, "input", usage.promptTokens());
            tokenUsage(model, provider, "output", usage.completionTokens());
        }
        Cost cost = ctx.cost();
        if (cost != null) {
            usd(MeterNames.COST, where, cost.usd());
            usd(MeterNames.BASELINE_COST, where, cost.baselineUsd());
            usd(MeterNames.SAVINGS, where, cost.savingsUsd());
        }
        if (ctx.route() != null) {
            registry.counter(MeterNames.RULE_HITS, TAG_ROUTE, route).increment();
        }
        if (ctx.cache() != null) {
            registry.counter(MeterNames.CACHE, MeterNames.TAG_RESULT, ctx.cache(), TAG_MODEL, model).increment();
        }
    }

    /** Records a routing rules reload. */
    public void ruleReload(boolean applied) {
        registry.counter(MeterNames.RULE_RELOADS, TAG_OUTCOME, applied ? "applied" : "refused").increment();
    }

    /**
     * Time in the gateway itself: before the first upstream call left, and, for a whole answer, after it
     * arrived. Streams count only the time before; their relay overlaps upstream.
     */
    static long overheadNanos(RequestContext ctx, long endNanos) {
        if (ctx.upstreamSentNanos() == 0) {
            return -1;
        }
        long before = ctx.upstreamSentNanos() - ctx.startNanos();
        long after = !ctx.stream() && ctx.upstreamDoneNanos() > 0 ? endNanos - ctx.upstreamDoneNanos() : 0;
        return before + Math.max(0, after);
    }

    private void tokens(Tags where, String type, long count) {
        if (count > 0) {
            registry.counter(MeterNames.TOKENS, where.and(MeterNames.TAG_TYPE, type)).increment(count);
        }
    }

    private void tokenUsage(String model, String provider, String type, long count) {
        DistributionSummary.builder(MeterNames.TOKEN_USAGE).tags(TAG_MODEL, model, TAG_PROVIDER, provider,
                MeterNames.TAG_TOKEN_TYPE, type).register(registry).record(count);
    }

    private void usd(String name, Tags where, double amount) {
        Counter.builder(name).baseUnit(MeterNames.USD).tags(where).register(registry).increment(amount);
    }

    private static String or(String value) {
        return value == null ? NONE : value;
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }
}
