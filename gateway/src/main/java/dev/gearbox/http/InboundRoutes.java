package dev.gearbox.http;

import dev.gearbox.admission.ApiKeys;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.routing.Budget;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.work.Offload;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves the inbound APIs' POST endpoints on Vert.x core's request, below the web router, and hands every
 * other request to that router. These are the requests a gateway lives on, and the router's context, route
 * matching, handler chain and body handler cost several microseconds of each (bench/README.md); what they
 * did here is done in one object per request: begin the exchange, check the key before the body is read (so
 * a caller without one cannot make the gateway buffer megabytes), read the body within its size and time
 * limits, and serve it. Errors are written in the API's own shape, as the web routes do with
 * {@link ErrorFormat}.
 *
 * <p>A path is served here as spelled or in its canonical form ({@link #canonical}); another method on it
 * goes to the router, which answers 405, and every other path to the router too.
 */
public final class InboundRoutes implements Handler<HttpServerRequest> {

    private final Map<String, Route> routes;
    private final Handler<HttpServerRequest> others;
    private final ExchangeStart start;
    private final ApiKeys keys;
    private final Scheduler scheduler;
    private final long maxBodyBytes;
    private final long bodyTimeoutMs;

    private InboundRoutes(Builder builder, Handler<HttpServerRequest> others) {
        this.routes = Map.copyOf(builder.routes);
        this.others = others;
        this.start = builder.start;
        this.keys = builder.keys;
        this.scheduler = builder.scheduler;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.bodyTimeoutMs = builder.bodyTimeoutMs;
    }

    /**
     * @param maxBodyBytes a larger body is refused with 413
     * @param bodyTimeoutMs a body that has not arrived whole by then is refused with 408
     */
    public static Builder builder(ExchangeStart start, ApiKeys keys, Pipeline pipeline, Offload offload,
                                  Scheduler scheduler, long maxBodyBytes, long bodyTimeoutMs) {
        return new Builder(start, keys, pipeline, offload, scheduler, maxBodyBytes, bodyTimeoutMs);
    }

    /** The paths served here, for the router to refuse their other methods. */
    public Set<String> paths() {
        return routes.keySet();
    }

    @Override
    public void handle(HttpServerRequest request) {
        Route route = null;
        if (request.method() == HttpMethod.POST) {
            route = routes.get(request.path());
            if (route == null && request.path() != null) {
                // An SDK whose base URL ends in a slash asks for //chat/completions; the router took that too.
                route = routes.get(canonical(request.path()));
            }
        }
        if (route == null) {
            others.handle(request);
            return;
        }
        new Call(route, request, start.begin(request)).begin();
    }

    /** One endpoint: its API over the pipeline, and the client headers it passes upstream. */
    private record Route(InboundEndpoint endpoint, List<String> forwarded) {
    }

    /** One request, from its head to the end of its response. */
    private final class Call implements Handler<Buffer> {

        private final Route route;
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final Exchange exchange;
        private Buffer body;
        private boolean ownBody;
        private Reading reading = Reading.BODY;
        private Scheduler.Scheduled timer;
        private boolean finished;

        Call(Route route, HttpServerRequest request, Exchange exchange) {
            this.route = route;
            this.request = request;
            this.response = request.response();
            this.exchange = exchange;
        }

        void begin() {
            response.headersEndHandler(v -> GatewayHeaders.write(exchange, response));
            response.endHandler(v -> finish(false));
            response.exceptionHandler(e -> finish(true));
            // On HTTP/2 the stream closes as the response ends, which is no disconnect.
            response.closeHandler(v -> {
                if (!response.ended()) {
                    exchange.interrupts().clientGone();
                }
                finish(true);
            });
            try {
                if (ExchangeStart.hasNamelessHeader(request)) {
                    throw ApiException.invalidRequest(null, "A header has no name.");
                }
                String credential = ApiKeyAuthHandler.credential(request);
                exchange.admit(keys.resolve(credential, "Authorization"), Budget.NONE);
                exchange.credential(credential);
                forward(route.forwarded(), request.headers(), exchange);
                long declared = contentLength(request);
                if (declared > maxBodyBytes) {
                    throw HttpErrors.bodyTooLarge(maxBodyBytes);
                }
                if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                        && request.version() == HttpVersion.HTTP_1_1) {
                    response.writeContinue();
                }
            } catch (ApiException e) {
                refuse(e);
                return;
            }
            if (request.isEnded()) {
                route.endpoint().serve(request, exchange, Buffer.buffer());
                return;
            }
            request.handler(this);
            request.endHandler(v -> bodyEnded());
            request.exceptionHandler(e -> stopReading());
            timer = scheduler.schedule(bodyTimeoutMs, this::bodyTimedOut);
        }

        @Override
        public void handle(Buffer chunk) {
            if (reading != Reading.BODY) {
                return;
            }
            if (body == null) {
                body = chunk;
            } else {
                if (!ownBody) {
                    body = Buffer.buffer(Math.max(2 * (body.length() + chunk.length()), 4096)).appendBuffer(body);
                    ownBody = true;
                }
                body.appendBuffer(chunk);
            }
            if (body.length() > maxBodyBytes) {
                // The rest is read and dropped: closing with unread data could reset the connection before
                // the client reads the 413.
                stopReading();
                refuse(HttpErrors.bodyTooLarge(maxBodyBytes));
            }
        }

        private void bodyEnded() {
            if (reading != Reading.BODY) {
                return;
            }
            Buffer whole = body == null ? Buffer.buffer() : body;
            stopReading();
            route.endpoint().serve(request, exchange, whole);
        }

        private void bodyTimedOut() {
            if (reading != Reading.BODY || response.headWritten() || response.closed()) {
                return;
            }
            stopReading();
            response.putHeader(HttpHeaders.CONNECTION, "close");
            refuse(HttpErrors.bodyTimedOut(bodyTimeoutMs));
            // The rest of the body may still come, and would be read as the next request.
            request.connection().close();
        }

        private void stopReading() {
            reading = Reading.DONE;
            body = null;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        private void refuse(ApiException error) {
            route.endpoint().fail(request, error);
        }

        private void finish(boolean cut) {
            if (finished) {
                return;
            }
            finished = true;
            stopReading();
            start.finish(exchange, request, cut);
        }
    }

    /** Whether a call still takes its body's chunks. */
    private enum Reading { BODY, DONE }

    /**
     * The path with empty segments dropped, {@code .} and {@code ..} resolved (RFC 3986 5.2.4) and no
     * trailing slash: {@code //v1/./chat//completions/} is {@code /v1/chat/completions}.
     */
    static String canonical(String path) {
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Client headers an API's requests mean something only with, joined to every attempt's upstream headers. */
    private static void forward(List<String> names, MultiMap client, Exchange exchange) {
        for (String name : names) {
            List<String> values = client.getAll(name);
            if (!values.isEmpty()) {
                exchange.upstreamHeaders().set(name, String.join(",", values));
            }
        }
    }

    public static final class Builder {

        private final Map<String, Route> routes = new HashMap<>();
        private final ExchangeStart start;
        private final ApiKeys keys;
        private final Pipeline pipeline;
        private final Offload offload;
        private final Scheduler scheduler;
        private final long maxBodyBytes;
        private final long bodyTimeoutMs;

        private Builder(ExchangeStart start, ApiKeys keys, Pipeline pipeline, Offload offload, Scheduler scheduler,
                        long maxBodyBytes, long bodyTimeoutMs) {
            if (maxBodyBytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: > 0)");
            }
            if (bodyTimeoutMs <= 0) {
                throw new IllegalArgumentException("bodyTimeoutMs: " + bodyTimeoutMs + " (expected: > 0)");
            }
            this.start = start;
            this.keys = keys;
            this.pipeline = pipeline;
            this.offload = offload;
            this.scheduler = scheduler;
            this.maxBodyBytes = maxBodyBytes;
            this.bodyTimeoutMs = bodyTimeoutMs;
        }

        /**
         * Serves {@code POST path} with {@code api}.
         *
         * @param forwarded client headers passed on to upstream, such as Anthropic's {@code anthropic-beta}
         */
        public Builder post(String path, InboundApi api, String... forwarded) {
            if (routes.putIfAbsent(path, new Route(new InboundEndpoint(api, pipeline, offload), List.of(forwarded))) != null) {
                throw new IllegalArgumentException("path: " + path + " (expected: one API per path)");
            }
            return this;
        }

        /** @param others serves every request that is not one of these routes' */
        public InboundRoutes build(Handler<HttpServerRequest> others) {
            return new InboundRoutes(this, others);
        }
    }
}
