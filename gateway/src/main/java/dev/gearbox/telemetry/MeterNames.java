package dev.gearbox.telemetry;

import java.util.Map;

/**
 * The names and tags of every meter the gateway registers, lower-case and dotted. OpenTelemetry's GenAI
 * semantic-convention names are used where one exists; Prometheus renders dots as underscores and adds
 * unit suffixes ({@code gearbox.cost} becomes {@code gearbox_cost_usd_total}).
 */
public final class MeterNames {

    /** OTel GenAI: tokens per request, by {@code gen_ai.token.type} ({@code input} or {@code output}). */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** OTel GenAI: the duration of a request, as the client sees it. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** OTel GenAI: time to the first token of an answer. */
    public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";

    /** Requests, by {@code outcome}. */
    public static final String REQUESTS = "gearbox.requests";
    /** Tokens, by {@code type}: input, cached_input, output, reasoning. */
    public static final String TOKENS = "gearbox.tokens";
    /** Spend in US dollars at the answering model's list prices. */
    public static final String COST = "gearbox.cost";
    /** What the same tokens would have cost on the baseline model. */
    public static final String BASELINE_COST = "gearbox.cost.baseline";
    /** Baseline cost minus cost. */
    public static final String SAVINGS = "gearbox.savings";
    /** Time spent in the gateway itself, upstream time excluded. */
    public static final String OVERHEAD = "gearbox.gateway.overhead";
    /** Cache lookups, by {@code result}: hit, miss, bypass. */
    public static final String CACHE = "gearbox.cache.requests";
    /** Retries of a call to the same model, by {@code model} and {@code reason}. */
    public static final String RETRIES = "gearbox.retries";
    /** Calls that moved on from a model to the next candidate, by {@code model} and {@code reason}. */
    public static final String FALLBACKS = "gearbox.fallbacks";
    /** Answers from a fallback dearer than the routed model, by {@code route} and the answering {@code model}. */
    public static final String FALLBACK_ESCALATIONS = "gearbox.fallback.escalations";
    /** What those answers cost beyond the same tokens on the routed model, in US dollars. */
    public static final String FALLBACK_ESCALATION_COST = "gearbox.fallback.escalation.cost";
    /** Requests each routing rule decided, by {@code route}. */
    public static final String RULE_HITS = "gearbox.rule.hits";
    /** Rule reloads, by {@code outcome}: applied or refused. */
    public static final String RULE_RELOADS = "gearbox.rule.reloads";
    /** Spans the collector accepted. */
    public static final String TRACE_SPANS_EXPORTED = "gearbox.trace.spans.exported";
    /** Spans lost, by {@code reason}: queue_full (the export queue was full) or export_failed. */
    public static final String TRACE_SPANS_DROPPED = "gearbox.trace.spans.dropped";

    /** Requests refused by a key's or team's limit, by reason (rpm, tpm, max_concurrent, daily, monthly, total). */
    public static final String LIMIT_REFUSALS = "gearbox.limit.refusals";
    /** Requests sent to the cheap tier because a budget was reached. */
    public static final String BUDGET_DOWNGRADES = "gearbox.budget.downgrades";
    /** A team's budget, per period, in USD. */
    public static final String BUDGET_LIMIT = "gearbox.budget.limit";
    /** What a team has spent of a budget in its current period, in USD. */
    public static final String BUDGET_SPENT = "gearbox.budget.spent";
    /** What is left of a team's budget in its current period, in USD. */
    public static final String BUDGET_REMAINING = "gearbox.budget.remaining";
    /** 1 while a team's spend is at or over the soft threshold of a budget. */
    public static final String BUDGET_SOFT_LIMIT = "gearbox.budget.soft.limit.reached";
    public static final String TAG_PERIOD = "period";
    /**
     * Writes of spend or room that no Redis replica acknowledged within half of {@code state.redis.timeout_ms},
     * trusted to the primary alone: a failover before they replicate loses them.
     */
    public static final String STATE_UNREPLICATED_WRITES = "gearbox.state.unreplicated.writes";

    /** Judges' verdicts on sampled answers, by {@code route}, the answering {@code tier} and {@code verdict}. */
    public static final String QUALITY_VERDICTS = "gearbox.quality.verdicts";
    /** Applications' feedback scores (0 to 1), by {@code route} and {@code tier}. */
    public static final String QUALITY_FEEDBACK = "gearbox.quality.feedback.score";
    /** What shadow calls and their judgements cost, in US dollars, by {@code route}. */
    public static final String QUALITY_SHADOW_COST = "gearbox.quality.shadow.cost";
    /** Sampled requests that were not shadowed, by {@code reason}. */
    public static final String QUALITY_SHADOW_SKIPPED = "gearbox.quality.shadow.skipped";
    /** What is left of the day's shadow budget, in US dollars. */
    public static final String QUALITY_SHADOW_BUDGET_REMAINING = "gearbox.quality.shadow.budget.remaining";
    /** 1 from the first shadow the day's budget refused until the day ends. */
    public static final String QUALITY_SHADOW_BUDGET_EXHAUSTED = "gearbox.quality.shadow.budget.exhausted";
    /** The share of a route's judged cheap answers as good as the reasoning tier's, over the retention. */
    public static final String QUALITY_RETAINED = "gearbox.quality.retained";
    /** The cheap answers judged on a route over the retention: the sample of the quality retained. */
    public static final String QUALITY_JUDGED = "gearbox.quality.judged";
    public static final String TAG_VERDICT = "verdict";

    public static final String TAG_MODEL = "model";
    public static final String TAG_PROVIDER = "provider";
    public static final String TAG_TIER = "tier";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_TENANT = "tenant";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_REASON = "reason";
    public static final String TAG_TYPE = "type";
    public static final String TAG_RESULT = "result";
    public static final String TAG_STREAM = "stream";
    /** OTel GenAI's token type attribute. */
    public static final String TAG_TOKEN_TYPE = "gen_ai.token.type";

    public static final String USD = "usd";

    /** What each meter is, for the {@code # HELP} line of {@code /metrics}; {@link MeterDescriptions} applies them. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(TOKEN_USAGE, "Tokens per request, by gen_ai.token.type (input or output)"),
            Map.entry(OPERATION_DURATION, "Duration of a request as the client sees it, by model, provider, tier and stream"),
            Map.entry(TIME_TO_FIRST_TOKEN, "Time from a request's arrival to the first token of its answer"),
            Map.entry(REQUESTS, "Requests by model, provider, tier, route, tenant and outcome"),
            Map.entry(TOKENS, "Tokens by type: input, cached_input, output, reasoning"),
            Map.entry(COST, "Spend in US dollars at the answering model's list prices"),
            Map.entry(BASELINE_COST, "What the same tokens would have cost on the baseline model, in US dollars"),
            Map.entry(SAVINGS, "Baseline cost minus cost, in US dollars"),
            Map.entry(OVERHEAD, "Time spent in the gateway itself, upstream time excluded"),
            Map.entry(CACHE, "Cache lookups by model and result: hit, miss, bypass"),
            Map.entry(RETRIES, "Retries of a call to the same model, by model and reason"),
            Map.entry(FALLBACKS, "Calls that moved on from a model to the next candidate, by model and reason"),
            Map.entry(FALLBACK_ESCALATIONS, "Answers from a fallback dearer than the routed model, by route and model"),
            Map.entry(FALLBACK_ESCALATION_COST, "What answers from dearer fallbacks cost beyond the routed model, in US dollars"),
            Map.entry(RULE_HITS, "Requests each routing rule decided, by route"),
            Map.entry(RULE_RELOADS, "Routing rule reloads, by outcome: applied or refused"),
            Map.entry(TRACE_SPANS_EXPORTED, "Trace spans the collector accepted"),
            Map.entry(TRACE_SPANS_DROPPED, "Trace spans lost, by reason: queue_full or export_failed"),
            Map.entry(LIMIT_REFUSALS, "Requests refused by a key's or team's limit, by tenant and reason"),
            Map.entry(BUDGET_DOWNGRADES, "Requests sent to the cheapest model because a budget was reached, by tenant"),
            Map.entry(BUDGET_LIMIT, "A team's budget per period, in US dollars"),
            Map.entry(BUDGET_SPENT, "What a team has spent of a budget in its current period, in US dollars"),
            Map.entry(BUDGET_REMAINING, "What is left of a team's budget in its current period, in US dollars"),
            Map.entry(BUDGET_SOFT_LIMIT, "1 while a team's spend is at or over the soft threshold of a budget"),
            Map.entry(STATE_UNREPLICATED_WRITES, "Writes of spend or room no Redis replica acknowledged in time: a failover"
                    + " before they replicate loses them"),
            Map.entry(QUALITY_VERDICTS, "Judges' verdicts on sampled answers against the other tier's, by route, answering"
                    + " tier and verdict: cheap_better, tie, reasoning_better"),
            Map.entry(QUALITY_FEEDBACK, "Applications' feedback scores from 0 to 1 on answers, by route and tier"),
            Map.entry(QUALITY_SHADOW_COST, "What shadow calls and their judgements cost, in US dollars, by route"),
            Map.entry(QUALITY_SHADOW_SKIPPED, "Sampled requests that were not shadowed, by reason: budget, not_allowed,"
                    + " no_model, not_comparable, busy, failed, judge_unreadable"),
            Map.entry(QUALITY_SHADOW_BUDGET_REMAINING, "What is left of the day's shadow budget, in US dollars, across replicas"),
            Map.entry(QUALITY_SHADOW_BUDGET_EXHAUSTED, "1 from the first shadow the day's shadow budget refused until the day ends: shadowing has stopped"),
            Map.entry(QUALITY_RETAINED, "Share of a route's judged cheap answers as good as the reasoning tier's, over the"
                    + " retention, across replicas"),
            Map.entry(QUALITY_JUDGED, "Cheap answers judged on a route over the retention, across replicas: the sample"
                    + " of the quality retained"));

    private MeterNames() {
    }

    /** The description of a meter the gateway registers; null for a name it does not own. */
    public static String description(String name) {
        return DESCRIPTIONS.get(name);
    }
}
