package dev.gearbox.quality;

import dev.gearbox.config.QualityConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteQuality;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.Rule;
import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.FeatureRow;
import dev.gearbox.routing.difficulty.Featurizer;
import dev.gearbox.wire.Operation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The quality capability's settings and services, shared by every event loop: the config and each route's own
 * settings over it, the log, the chances it takes, who hears what it does, and the days its log keeps, in the
 * zone of the gateway's budgets.
 */
public final class Quality {

    /**
     * The buckets a request's features are counted over, the trainer's default: labels train as they are kept
     * unless the operator trains with other {@code --buckets}.
     */
    static final int FEATURE_BUCKETS = 1 << 15;
    /** How long a day's shadow spend is kept: past the day itself, for the replicas whose clock is behind. */
    private static final int SPEND_DAYS = 3;

    private final QualityConfig config;
    private final RoutingRules rules;
    private final QualityStore store;
    private final Sampler sampler;
    private final QualityEvents events;
    private final Clock clock;
    private final ZoneId zone;
    private final Featurizer featurizer = Featurizer.of(FEATURE_BUCKETS);
    /** A counter per event loop: a new one would allocate its 256 KB of counts for every request. */
    private static final ThreadLocal<FeatureRow.Builder> BUILDERS =
            ThreadLocal.withInitial(() -> new FeatureRow.Builder(FEATURE_BUCKETS));

    private Quality(QualityConfig config, RoutingRules rules, QualityStore store, Sampler sampler, QualityEvents events,
                    Clock clock, ZoneId zone) {
        this.config = config;
        this.rules = rules;
        this.store = store;
        this.sampler = sampler;
        this.events = events;
        this.clock = clock;
        this.zone = zone;
    }

    /** @param zone the zone whose days the log and the daily shadow budget follow: the budgets' ({@code state.zone}) */
    public static Quality of(QualityConfig config, RoutingRules rules, QualityStore store, Sampler sampler,
                             QualityEvents events, Clock clock, ZoneId zone) {
        return new Quality(config, rules, store, sampler, events, clock, zone);
    }

    public QualityConfig config() {
        return config;
    }

    public QualityStore store() {
        return store;
    }

    public QualityEvents events() {
        return events;
    }

    RoutingRules rules() {
        return rules;
    }

    Sampler sampler() {
        return sampler;
    }

    Clock clock() {
        return clock;
    }

    /** The share of a route's requests shadowed: its own, else the gateway's. */
    double sampleRate(RoutingTable table, String route) {
        RouteQuality own = quality(table, route);
        double gateway = config.shadow().sampleRate();
        return own == null ? gateway : own.sampleRate(gateway);
    }

    /** Whether a route keeps its prompts and answers with its labels. */
    boolean storeText(RoutingTable table, String route) {
        RouteQuality own = quality(table, route);
        return own == null ? config.storeText() : own.storeText(config.storeText());
    }

    private static RouteQuality quality(RoutingTable table, String route) {
        Rule rule = table.rule(route);
        return rule == null ? null : rule.quality();
    }

    /** The day of the log an instant falls in. */
    public LocalDate day(Instant at) {
        return at.atZone(zone).toLocalDate();
    }

    /** Today, by the gateway's clock. */
    public LocalDate today() {
        return day(clock.instant());
    }

    /** When the labels of a day are forgotten: at the end of its retention. */
    public Instant retentionEnd(LocalDate day) {
        return day.plusDays(config.retentionDays() + 1L).atStartOfDay(zone).toInstant();
    }

    /** When a day's shadow spend is forgotten. */
    Instant spendEnd(LocalDate day) {
        return day.plusDays(SPEND_DAYS).atStartOfDay(zone).toInstant();
    }

    /** The days whose labels are kept, oldest first. */
    public java.util.List<LocalDate> retainedDays() {
        LocalDate today = today();
        java.util.List<LocalDate> days = new java.util.ArrayList<>();
        for (LocalDate d = today.minusDays(config.retentionDays()); !d.isAfter(today); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /** Whether requests are kept for feedback at all. */
    boolean remembers() {
        return config.feedbackWindowHours() > 0;
    }

    /** Until when a request that arrived at {@code at} may be scored. */
    Instant feedbackUntil(Instant at) {
        return at.plus(Duration.ofHours(config.feedbackWindowHours()));
    }

    /**
     * Whether the judge can compare an answer to this request with another tier's: a chat request (chat
     * completions, and Responses, Messages and completions as their chat form) asking one answer, of text, with
     * no images; not embeddings or moderations.
     */
    static boolean comparable(Exchange exchange) {
        RequestFeatures features = exchange.features();
        return exchange.request() != null && exchange.request().operation() == Operation.CHAT_COMPLETIONS
                && exchange.request().choices() == 1 && exchange.decision() != null && features != null
                && !features.hasImages() && exchange.request().body().getValue("messages") instanceof JsonArray m
                && !m.isEmpty();
    }

    /**
     * What the log keeps of a request whose answer was sent: its route, the tier and model that answered, its
     * score and features, and its text when {@code answer} is given (the route keeps text).
     */
    RequestRecord record(Exchange exchange, String answer) {
        RequestFeatures features = exchange.features();
        double difficulty = features.difficultyIfScored();
        if (Double.isNaN(difficulty)) {
            difficulty = features.difficulty(rules.current().weights().model());
        }
        String tier = exchange.answeredModel() != null && exchange.answeredModel().tier() != null
                ? exchange.answeredModel().tier() : exchange.tier();
        Conversation conversation = features.conversation();
        FeatureRow.Builder builder = BUILDERS.get();
        builder.reset();
        featurizer.features(conversation.lastUserMessage(), conversation.turns(), conversation.tools(),
                conversation.systemChars(), builder);
        String features64 = builder.row(conversation.length()).encode();
        Instant at = clock.instant().minusNanos(Math.max(0, exchange.endNanos() - exchange.startNanos()));
        RequestRecord.Text text = answer == null ? null : new RequestRecord.Text(
                exchange.request().body().getJsonArray("messages").copy(), answer);
        return new RequestRecord(exchange.requestId(), exchange.tenant(), exchange.route(), tier, exchange.model(),
                difficulty, features64, at, text);
    }

    /** The body of the request as a judge or the other tier is sent it: the client's, whole and unstreamed. */
    static JsonObject unstreamed(JsonObject body) {
        JsonObject out = body.copy();
        out.remove("stream");
        out.remove("stream_options");
        return out;
    }
}
