package dev.gearbox.exchange;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * One request's record as it passes through the gateway: who sent it, what was asked, where it was
 * routed, which models were tried, what the answer used and cost, the cache's verdict and when things
 * happened. Every stage and listener reads it; stages record on it through its public methods, and each
 * record that matters to telemetry is told to the {@link ExchangeListener} once.
 *
 * <p>Mutable and confined to the request's event loop. Times are on the nanosecond scale of the
 * gateway's {@code Scheduler}; 0 means "not yet".
 */
public final class Exchange {

    private final String requestId;
    private final String method;
    private final String path;
    private final MultiMap headers;
    private final long startNanos;
    private final ExchangeListener listener;

    private String credential;
    private Request request;
    private Caller caller = Caller.ANONYMOUS;
    private Budget budget = Budget.NONE;
    private RequestFeatures features;
    private RouteDecision decision;
    private ModelConfig answeredModel;
    private String answeredModelId;
    private String answeredProvider;
    private final Timings timings = new Timings();
    private final ModelPath modelPath = new ModelPath();
    private Usage usage;
    private Cost cost;
    private CacheOutcome cache;
    private String outcome;
    private String promptText;
    private int status;
    private long endNanos;
    private final Interrupts interrupts = new Interrupts();
    /** Null until a listener keeps something, so untraced requests pay nothing. */
    private Attributes attributes;
    private MultiMap upstreamHeaders;

    private Exchange(String requestId, String method, String path, MultiMap headers, long startNanos,
                     ExchangeListener listener) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.method = method;
        this.path = path;
        this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
        this.startNanos = startNanos;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The exchange of a request that has just arrived.
     *
     * @param headers the request headers, as rules and budgets read them
     * @param startNanos when it arrived
     */
    public static Exchange begin(String requestId, String method, String path, MultiMap headers, long startNanos,
                                 ExchangeListener listener) {
        return new Exchange(requestId, method, path, headers, startNanos, listener);
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public MultiMap headers() {
        return headers;
    }

    public long startNanos() {
        return startNanos;
    }

    // --- what listeners keep

    /** The value a listener kept under {@code key}; null when none. */
    public <T> T attribute(Attribute<T> key) {
        return attributes == null ? null : attributes.get(key);
    }

    /** Keeps {@code value} under {@code key} for the rest of the exchange; null removes it. */
    public <T> void attribute(Attribute<T> key, T value) {
        if (attributes == null) {
            attributes = new Attributes();
        }
        attributes.put(key, value);
    }

    // --- who

    /** The API key the caller presented, or null; read by admission, never logged. */
    public String credential() {
        return credential;
    }

    public void credential(String key) {
        this.credential = key;
    }

    public Caller caller() {
        return caller;
    }

    public String tenant() {
        return caller.tenant();
    }

    /** The per-request budget the caller set, {@link Budget#NONE} without one. */
    public Budget budget() {
        return budget;
    }

    /** Records who may send this request, and within which budget. */
    public void admit(Caller caller, Budget budget) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    // --- what

    /** The request in canonical form; null until the inbound API has parsed it. */
    public Request request() {
        return request;
    }

    public void request(Request request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    /** The model or alias the client asked for; null before the request is parsed. */
    public String requestedModel() {
        if (request == null) {
            return null;
        }
        if (request.model() != null) {
            return request.model();
        }
        if (request.operation() == Operation.EMBEDDINGS) {
            return decision == null ? null : decision.model().id();
        }
        return "auto";
    }

    public boolean stream() {
        return request != null && request.stream();
    }

    // --- where

    /** What the rules saw; null before routing. */
    public RequestFeatures features() {
        return features;
    }

    /** Where the request goes; null before routing. */
    public RouteDecision decision() {
        return decision;
    }

    /** Records what the rules see, before they decide. */
    public void features(RequestFeatures features) {
        this.features = features;
    }

    public void routed(RouteDecision decision, RequestFeatures features) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.features = features;
        listener.routed(this);
    }

    public String route() {
        return decision == null ? null : decision.route();
    }

    public String tier() {
        return decision == null ? null : decision.tier();
    }

    /** The prompt's tokens, counted on first use; -1 for a request with none. */
    public int promptTokens() {
        return features == null ? -1 : features.promptTokens();
    }

    // --- upstream

    /** An upstream call is leaving. */
    public void attempt(ModelConfig model, int number, long nanos) {
        timings.attempt(nanos);
        listener.attempt(this, model, number);
    }

    /**
     * Headers for the upstream calls, which a listener may set as an attempt leaves (the attempt's trace
     * context); each call carries what they hold then. Made on first use.
     */
    public MultiMap upstreamHeaders() {
        if (upstreamHeaders == null) {
            upstreamHeaders = MultiMap.caseInsensitiveMultiMap();
        }
        return upstreamHeaders;
    }

    /** The headers listeners set for upstream calls, or null when none has, without making any. */
    public MultiMap upstreamHeadersIfAny() {
        return upstreamHeaders;
    }

    public void retry(ModelConfig model, String reason) {
        listener.retry(this, model, reason);
    }

    public void fallback(ModelConfig model, String reason) {
        listener.fallback(this, model, reason);
    }

    /** The path through models, which the upstream stage adds to as it tries them. */
    public ModelPath modelPath() {
        return modelPath;
    }

    /** The path through models when anything failed; null otherwise. */
    public String fallbacks() {
        return modelPath.shown();
    }

    /** The first good byte of {@code model}'s answer is here; the answer is committed to it. */
    public void answered(ModelConfig model, String provider, long nanos) {
        this.answeredModel = model;
        this.answeredModelId = model.id();
        this.answeredProvider = provider;
        timings.firstByte(nanos);
        listener.firstByte(this);
    }

    /** The model that answered from upstream; null before an answer, and for a cache hit. */
    public ModelConfig answeredModel() {
        return answeredModel;
    }

    public String answeredProvider() {
        return answeredProvider;
    }

    /** The model that answered, else the routed one; null before routing. */
    public String model() {
        return answeredModelId != null ? answeredModelId : decision == null ? null : decision.model().id();
    }

    public String provider() {
        return answeredProvider != null ? answeredProvider : decision == null ? null : decision.model().provider();
    }

    /** When things happened upstream. */
    public Timings timings() {
        return timings;
    }

    /** Upstream finished its answer, with these tokens. */
    public void upstreamDone(long nanos, Usage usage) {
        timings.upstreamDone(nanos);
        this.usage = usage;
    }

    // --- what it cost

    /** The tokens of the answer; null when there was none. */
    public Usage usage() {
        return usage;
    }

    public Cost cost() {
        return cost;
    }

    public void priced(Usage usage, Cost cost) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.cost = Objects.requireNonNull(cost, "cost");
        listener.priced(this);
    }

    // --- cache

    /** What the cache did; null when it was not consulted. */
    public CacheOutcome cache() {
        return cache;
    }

    public void cache(CacheOutcome outcome) {
        this.cache = outcome;
    }

    /** Records an answer served from the cache, as if {@code model} of {@code provider} had just given it. */
    public void answeredFromCache(String model, String provider, long nanos, Usage usage) {
        this.cache = CacheOutcome.HIT;
        this.usage = usage;
        this.answeredProvider = provider;
        this.answeredModelId = model;
        timings.firstByte(nanos);
    }

    /** The id of the model whose answer the client got, from upstream or the cache; null before one. */
    public String answeredModelId() {
        return answeredModelId;
    }

    // --- how it ended

    /**
     * How the request ended when that says more than its status, e.g. {@code stream_cut}: as recorded, else how
     * it was interrupted; null otherwise.
     */
    public String outcome() {
        return outcome != null || interrupts.why() == null ? outcome : interrupts.why().outcome();
    }

    public void outcome(String outcome) {
        this.outcome = outcome;
    }

    /** The last user message, kept only when prompt logging is on; null otherwise. */
    public String promptText() {
        return promptText;
    }

    public void promptText(String text) {
        this.promptText = text;
    }

    /** The response status; 0 before the response ended. */
    public int status() {
        return status;
    }

    public long endNanos() {
        return endNanos;
    }

    /** The response has ended (or its connection closed): tells the listeners. Call once. */
    public void finish(int status, long endNanos) {
        this.status = status;
        this.endNanos = endNanos;
        listener.finished(this);
    }

    /** Whether and why the work for this request was stopped before its answer was over. */
    public Interrupts interrupts() {
        return interrupts;
    }
}
