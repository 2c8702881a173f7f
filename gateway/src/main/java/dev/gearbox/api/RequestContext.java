package dev.gearbox.api;

import io.vertx.ext.web.RoutingContext;

/**
 * What the gateway knows about one request as it passes through: who sent it, where it went, and
 * when things happened.
 *
 * <p>Mutable and confined to the request's event loop. Later stages (routing, cost, metrics, access
 * log) read and add to it.
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
    private long firstByteNanos;

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

    /** When the first byte of the answer reached the gateway, on the {@link System#nanoTime()} scale; 0 before. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    void firstByte(long nanos) {
        if (firstByteNanos == 0) {
            firstByteNanos = nanos;
        }
    }
}
