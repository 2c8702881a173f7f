package dev.gearbox.api;

import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import io.vertx.ext.web.RoutingContext;

/**
 * What the gateway knows about one request as it passes through: who sent it, where it went, what it
 * cost, and when things happened.
 *
 * <p>Mutable and confined to the request's event loop. Stages add to it as they go; when the response
 * ends, metrics and the access log read it.
 */
public final class RequestContext {

    private static final String KEY = "gearbox.request";

    private final String requestId;
    private final long startNanos;
    private String tenant = "anonymous";
    private String apiKeyName;
    private String route;
    private String tier;
    private String requestedModel;
    private String model;
    private String provider;
    private boolean stream;
    private java.util.function.IntSupplier promptTokens = () -> -1;
    private long upstreamSentNanos;
    private long firstByteNanos;
    private long upstreamDoneNanos;
    private Usage usage;
    private Cost cost;
    private String cache;
    private String fallbacks;
    private String outcome;
    private String promptText;

    private RequestContext(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** Creates the context of a request and attaches it to the routing context. */
    static RequestContext attach(RoutingContext rc, String requestId, long startNanos) {
        RequestContext ctx = new RequestContext(requestId, startNanos);
        rc.put(KEY, ctx);
        return ctx;
    }

    /** The context of a request; every request has one once it is past the first handler. */
    public static RequestContext of(RoutingContext rc) {
        RequestContext ctx = rc.get(KEY);
        if (ctx == null) {
            throw new IllegalStateException("no request context: RequestContextHandler must run first");
        }
        return ctx;
    }

    public String requestId() {
        return requestId;
    }

    /** When the gateway received the request, on the {@link System#nanoTime()} scale. */
    public long startNanos() {
        return startNanos;
    }

    public String tenant() {
        return tenant;
    }

    void tenant(String tenant) {
        this.tenant = tenant;
    }

    /** The name of the caller's key (its environment variable), never the key; null without keys. */
    public String apiKeyName() {
        return apiKeyName;
    }

    void apiKeyName(String name) {
        this.apiKeyName = name;
    }

    /** The route that chose the model, once routed. */
    public String route() {
        return route;
    }

    /** The tier of the chosen model, once routed. */
    public String tier() {
        return tier;
    }

    void routed(String route, String tier) {
        this.route = route;
        this.tier = tier;
    }

    /** The model or alias the client asked for. */
    public String requestedModel() {
        return requestedModel;
    }

    /** The model that answered, once chosen. */
    public String model() {
        return model;
    }

    /** The provider that answered, once chosen. */
    public String provider() {
        return provider;
    }

    void target(String requestedModel, String model, String provider) {
        this.requestedModel = requestedModel;
        this.model = model;
        this.provider = provider;
    }

    /** Records the model that answered, which a fallback may have changed from the routed one. */
    void answeredBy(String model, String provider) {
        this.model = model;
        this.provider = provider;
    }

    public boolean stream() {
        return stream;
    }

    void stream(boolean stream) {
        this.stream = stream;
    }

    /** The request's prompt tokens, counted with the tokenizer on first use; -1 for requests that have none. */
    public int promptTokens() {
        return promptTokens.getAsInt();
    }

    void promptTokens(java.util.function.IntSupplier counter) {
        this.promptTokens = counter;
    }

    /** When the first call upstream left, on the {@link System#nanoTime()} scale; 0 before. */
    public long upstreamSentNanos() {
        return upstreamSentNanos;
    }

    void upstreamSent(long nanos) {
        if (upstreamSentNanos == 0) {
            upstreamSentNanos = nanos;
        }
    }

    /** When the first byte of the answer reached the gateway, on the {@link System#nanoTime()} scale; 0 before. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    void firstByte(long nanos) {
        if (firstByteNanos == 0) {
            firstByteNanos = nanos;
        }
    }

    /** When upstream finished its answer; 0 before or when it never did. */
    public long upstreamDoneNanos() {
        return upstreamDoneNanos;
    }

    void upstreamDone(long nanos) {
        this.upstreamDoneNanos = nanos;
    }

    /** The tokens of the answer; null when there was none. */
    public Usage usage() {
        return usage;
    }

    /** What the answer cost; null when there was no answer. */
    public Cost cost() {
        return cost;
    }

    void priced(Usage usage, Cost cost) {
        this.usage = usage;
        this.cost = cost;
    }

    /** {@code hit}, {@code miss} or {@code bypass}; null when the cache was not consulted. */
    public String cache() {
        return cache;
    }

    void cache(String result) {
        this.cache = result;
    }

    /** The path through models when anything failed, as in {@code x-gearbox-fallbacks}; null otherwise. */
    public String fallbacks() {
        return fallbacks;
    }

    void fallbacks(String path) {
        this.fallbacks = path;
    }

    /** How the request ended, when the handler knows better than the status: e.g. {@code stream_cut}. */
    public String outcome() {
        return outcome;
    }

    void outcome(String outcome) {
        this.outcome = outcome;
    }

    /** The last user message, kept only when prompt logging is on; null otherwise. */
    public String promptText() {
        return promptText;
    }

    void promptText(String text) {
        this.promptText = text;
    }
}
