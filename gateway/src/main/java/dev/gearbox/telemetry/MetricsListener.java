package dev.gearbox.telemetry;

import static dev.gearbox.telemetry.MeterNames.TAG_MODEL;
import static dev.gearbox.telemetry.MeterNames.TAG_OUTCOME;
import static dev.gearbox.telemetry.MeterNames.TAG_PROVIDER;
import static dev.gearbox.telemetry.MeterNames.TAG_ROUTE;
import static dev.gearbox.telemetry.MeterNames.TAG_TENANT;
import static dev.gearbox.telemetry.MeterNames.TAG_TIER;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Listens to exchanges and turns each into meters: requests by outcome, tokens, cost, baseline cost and
 * savings, latency and time to first token, and the gateway's own overhead.
 *
 * <p>Tags are bounded: models, routes and tiers come from the catalog and rules, and tenants are named by
 * {@link TenantTags} (at most its cap, the most active first, the rest {@code other}); a tenant that loses
 * its name loses its series here. Thread-safe.
 */
public final class MetricsListener implements ExchangeListener {

    private static final Duration[] OPERATION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);
    private static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.05);
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final TenantTags tenants;
    private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();
    private final Timer plainOverhead;
    private final Timer streamOverhead;

    /** @param tenants which tenants the meters name; each finished request counts toward its tenant's rank */
    public MetricsListener(MeterRegistry registry, TenantTags tenants) {
        this.registry = registry;
        this.tenants = tenants;
        this.plainOverhead = overhead(false);
        this.streamOverhead = overhead(true);
        tenants.onDemoted(this::forget);
    }

    /** Drops the series of tenants that lost their name, so the export stays within the cap. */
    private void forget(Set<String> demoted) {
        meters.entrySet().removeIf(e -> {
            if (!demoted.contains(e.getKey().tenant())) {
                return false;
            }
            Meters m = e.getValue();
            for (Meter meter : List.of(m.requests, m.input, m.cachedInput, m.output, m.reasoning, m.cost, m.baseline,
                    m.savings)) {
                registry.remove(meter);
            }
            return true;
        });
    }

    private Timer overhead(boolean stream) {
        return Timer.builder(MeterNames.OVERHEAD).tag(MeterNames.TAG_STREAM, String.valueOf(stream))
                .serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry);
    }

    /** The outcome of a request: what the handler said, else what its status says. */
    public static String outcome(Exchange ctx, int status) {
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

    @Override
    public void retry(Exchange exchange, ModelConfig model, String reason) {
        registry.counter(MeterNames.RETRIES, TAG_MODEL, model.id(), MeterNames.TAG_REASON, reason).increment();
    }

    @Override
    public void fallback(Exchange exchange, ModelConfig model, String reason) {
        registry.counter(MeterNames.FALLBACKS, TAG_MODEL, model.id(), MeterNames.TAG_REASON, reason).increment();
    }

    /** Records a request whose response has ended. */
    @Override
    public void finished(Exchange ctx) {
        int status = ctx.status();
        long endNanos = ctx.endNanos();
        String outcome = outcome(ctx, status);
        String tenant = tenants.record(ctx.tenant());
        Meters m = meters.computeIfAbsent(new Key(or(ctx.model()), or(ctx.provider()), or(ctx.tier()), or(ctx.route()),
                tenant, outcome), this::register);
        m.requests.increment();
        m.duration.record(endNanos - ctx.startNanos(), TimeUnit.NANOSECONDS);
        if (ctx.timings().firstByteNanos() > 0 && ctx.timings().upstreamSentNanos() > 0) {
            m.firstToken.record(ctx.timings().firstByteNanos() - ctx.startNanos(), TimeUnit.NANOSECONDS);
        }
        long overhead = overheadNanos(ctx, endNanos);
        if (overhead >= 0) {
            (ctx.stream() ? streamOverhead : plainOverhead).record(overhead, TimeUnit.NANOSECONDS);
        }
        Usage usage = ctx.usage();
        if (usage != null) {
            m.input.increment(usage.promptTokens() - usage.cachedPromptTokens());
            m.cachedInput.increment(usage.cachedPromptTokens());
            m.output.increment(usage.completionTokens() - usage.reasoningTokens());
            m.reasoning.increment(usage.reasoningTokens());
            m.inputUsage.record(usage.promptTokens());
            m.outputUsage.record(usage.completionTokens());
        }
        Cost cost = ctx.cost();
        if (cost != null) {
            m.cost.increment(cost.usd());
            m.baseline.increment(cost.baselineUsd());
            m.savings.increment(cost.savingsUsd());
        }
        if (ctx.route() != null) {
            m.ruleHits.increment();
        }
        if (ctx.cache() != null) {
            registry.counter(MeterNames.CACHE, MeterNames.TAG_RESULT, ctx.cache().wireName(), TAG_MODEL, m.key.model).increment();
        }
    }

    /** The tags of one kind of request; bounded by catalog, rules and the cap on named tenants. */
    private record Key(String model, String provider, String tier, String route, String tenant, String outcome) {
    }

    /** The meters of one kind of request, looked up once rather than per request. */
    private record Meters(Key key, Counter requests, Timer duration, Timer firstToken, Counter input, Counter cachedInput,
                          Counter output, Counter reasoning, DistributionSummary inputUsage, DistributionSummary outputUsage,
                          Counter cost, Counter baseline, Counter savings, Counter ruleHits) {
    }

    private Meters register(Key k) {
        Tags where = Tags.of(TAG_MODEL, k.model, TAG_PROVIDER, k.provider, TAG_TIER, k.tier, TAG_ROUTE, k.route, TAG_TENANT, k.tenant);
        return new Meters(k,
                registry.counter(MeterNames.REQUESTS, where.and(TAG_OUTCOME, k.outcome)),
                Timer.builder(MeterNames.OPERATION_DURATION).tags(TAG_MODEL, k.model, TAG_PROVIDER, k.provider, TAG_TIER, k.tier,
                        TAG_ROUTE, k.route, TAG_OUTCOME, k.outcome).serviceLevelObjectives(OPERATION_BUCKETS).register(registry),
                Timer.builder(MeterNames.TIME_TO_FIRST_TOKEN).tags(TAG_MODEL, k.model, TAG_PROVIDER, k.provider, TAG_TIER, k.tier)
                        .serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry),
                tokens(where, "input"), tokens(where, "cached_input"), tokens(where, "output"), tokens(where, "reasoning"),
                tokenUsage(k.model, k.provider, "input"), tokenUsage(k.model, k.provider, "output"),
                usd(MeterNames.COST, where), usd(MeterNames.BASELINE_COST, where), usd(MeterNames.SAVINGS, where),
                registry.counter(MeterNames.RULE_HITS, TAG_ROUTE, k.route));
    }

    /** Records a routing rules reload. */
    public void ruleReload(boolean applied) {
        registry.counter(MeterNames.RULE_RELOADS, TAG_OUTCOME, applied ? "applied" : "refused").increment();
    }

    /**
     * Time in the gateway itself: before the first upstream call left, and, for a whole answer, after it
     * arrived. Streams count only the time before; their relay overlaps upstream.
     */
    static long overheadNanos(Exchange ctx, long endNanos) {
        if (ctx.timings().upstreamSentNanos() == 0) {
            return -1;
        }
        long before = ctx.timings().upstreamSentNanos() - ctx.startNanos();
        long after = !ctx.stream() && ctx.timings().upstreamDoneNanos() > 0 ? endNanos - ctx.timings().upstreamDoneNanos() : 0;
        return before + Math.max(0, after);
    }

    private Counter tokens(Tags where, String type) {
        return registry.counter(MeterNames.TOKENS, where.and(MeterNames.TAG_TYPE, type));
    }

    private DistributionSummary tokenUsage(String model, String provider, String type) {
        return DistributionSummary.builder(MeterNames.TOKEN_USAGE).tags(TAG_MODEL, model, TAG_PROVIDER, provider,
                MeterNames.TAG_TOKEN_TYPE, type).register(registry);
    }

    private Counter usd(String name, Tags where) {
        return Counter.builder(name).baseUnit(MeterNames.USD).tags(where).register(registry);
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
