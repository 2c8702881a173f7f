package dev.gearbox.providers;

import dev.gearbox.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's HTTP API, as every HTTP provider family calls it: a request to the target its translator
 * chose below the base URL, authenticated as that target says, cancelled when the answer is no longer
 * wanted, and failures told apart the same way for all (the gateway's own pool being busy is never the
 * provider's timeout). Confined to one event loop.
 */
public final class HttpUpstream {

    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstream.class);
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    private final String name;
    private final ProviderConfig config;
    private final HttpClient client;
    private final URI base;
    private final String basePath;
    private final boolean ssl;
    private final int port;
    /** The fixed headers with the last authentication's own, for JSON and for event streams: one provider uses one. */
    private Authentication cachedFor;
    private MultiMap cachedJson;
    private MultiMap cachedStream;

    private HttpUpstream(String name, ProviderConfig config, HttpClient client) {
        this.name = name;
        this.config = config;
        this.client = client;
        this.base = URI.create(config.baseUrl());
        this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
        this.ssl = "https".equals(base.getScheme());
        this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
    }

    /** The provider {@code name}'s API over {@code client}, on the event loop this is called on. */
    public static HttpUpstream of(String name, ProviderConfig config, HttpClient client) {
        return new HttpUpstream(name, config, client);
    }

    /** A provider's API over a new client of this event loop, pooled as its config says. */
    public static HttpUpstream onLoop(Vertx vertx, String name, ProviderConfig config) {
        return of(name, config, client(vertx, name, config));
    }

    /** An HTTP client for one provider on the calling event loop. */
    public static HttpClient client(Vertx vertx, String name, ProviderConfig provider) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, provider.connectTimeoutMs())))
                .with(new PoolOptions().setHttp1MaxSize(provider.maxConnections())
                        // Bounded, so that past it a call is refused at once rather than queued without end.
                        .setMaxWaitQueueSize(provider.maxConnections()))
                // A reset or broken connection fails the request on it, which is retried or falls back and is
                // counted; without a handler Vert.x would also log each one at ERROR, with no context.
                .withConnectHandler(connection -> connection.exceptionHandler(e ->
                        LOG.debug("connection to provider {} failed: {}", name, e.toString())))
                .build();
    }

    /** The provider's configured value of {@code header}, or null. */
    public String configured(String header) {
        for (Map.Entry<String, String> entry : config.headers().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(header)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Built once per authentication rather than per request; never changed after. */
    private MultiMap fixedHeaders(Authentication authentication, String accept) {
        if (cachedFor != authentication) {
            cachedJson = fixedHeaders(JSON, authentication);
            cachedStream = fixedHeaders(EVENT_STREAM, authentication);
            cachedFor = authentication;
        }
        return switch (accept) {
            case JSON -> cachedJson;
            case EVENT_STREAM -> cachedStream;
            default -> fixedHeaders(accept, authentication);
        };
    }

    private MultiMap fixedHeaders(String accept, Authentication authentication) {
        MultiMap headers = HttpHeaders.headers()
                .add(HttpHeaders.CONTENT_TYPE, JSON)
                .add(HttpHeaders.ACCEPT, accept);
        if (authentication.headers() != null) {
            headers.addAll(authentication.headers());
        }
        // The provider's configured headers follow the family's and win.
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        return headers;
    }

    /**
     * Sends {@code request} to its target.
     *
     * @param extra headers for this call only, set over the fixed ones; null for none
     */
    public Future<UpstreamResponse> send(UpstreamRequest request, MultiMap extra) {
        Buffer body = request.body().bytes();
        UpstreamTarget target = request.target();
        Authentication authentication = target.authentication();
        // Host, port and base path are known from the config; parsing an absolute URI per request is wasted work.
        RequestOptions options = new RequestOptions()
                .setMethod(target.method())
                .setHost(base.getHost())
                .setPort(port)
                .setSsl(ssl)
                .setURI(basePath + target.pathAndQuery())
                // Vert.x times getting a connection with this, opening one included. Opening has its own, shorter
                // timeout (a provider that cannot be reached is its failure), so what runs out here is the wait.
                .setConnectTimeout(config.connectTimeoutMs() + config.poolWaitMs())
                .setIdleTimeout(config.readTimeoutMs());
        MultiMap fixed = fixedHeaders(authentication, request.accept());
        MultiMap headers = fixed;
        if ((extra != null && !extra.isEmpty()) || authentication.seesRequest()) {
            // Vert.x copies the options' headers into the request, so the provider's own map is shared unless
            // this call adds to it.
            headers = HttpHeaders.headers().addAll(fixed);
            if (extra != null) {
                for (Map.Entry<String, String> header : extra) {
                    headers.set(header.getKey(), header.getValue());
                }
            }
        }
        options.setHeaders(headers);
        Future<Void> ready = !authentication.seesRequest() ? Future.succeededFuture()
                : authentication.apply(outgoing(target, headers, body)).recover(failure -> Future.failedFuture(
                        new ProviderException(ProviderException.Kind.CONNECTION, name, "provider " + name
                                + " could not be authenticated: " + failure.getMessage(), failure)));
        return ready
                .compose(v -> request.cancellation().isCancelled()
                        ? Future.failedFuture(new ProviderException(ProviderException.Kind.CONNECTION, name,
                                "the call to provider " + name + " was cancelled", null))
                        : client.request(options).recover(failure -> Future.failedFuture(noConnection(failure))))
                .compose(httpRequest -> {
                    request.cancellation().onCancel(httpRequest::reset);
                    return httpRequest.send(body);
                })
                .<UpstreamResponse>map(HttpUpstreamResponse::new)
                .recover(failure -> Future.failedFuture(translate(failure)));
    }

    private OutgoingRequest outgoing(UpstreamTarget target, MultiMap headers, Buffer body) {
        return new OutgoingRequest(target.method(), ssl ? "https" : "http", base.getHost(), port, basePath + target.path(),
                target.query(), headers, body);
    }

    /**
     * Why no connection was had. A full wait queue and a wait that ran out are the gateway's own limits: the
     * provider was never asked, so they must not read as its timeout nor count against its breaker.
     */
    private Throwable noConnection(Throwable failure) {
        if (failure instanceof ConnectionPoolTooBusyException || failure instanceof TimeoutException) {
            return new ProviderException(ProviderException.Kind.BUSY, name, "no connection to provider " + name
                    + " was free in time", failure);
        }
        return failure;
    }

    private ProviderException translate(Throwable failure) {
        if (failure instanceof ProviderException pe) {
            return pe;
        }
        if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            return new ProviderException(ProviderException.Kind.TIMEOUT, name,
                    "provider " + name + " did not answer in time", failure);
        }
        String reason = failure instanceof ConnectException ? "could not be reached" : "connection failed";
        return new ProviderException(ProviderException.Kind.CONNECTION, name,
                "provider " + name + " " + reason + ": " + failure.getMessage(), failure);
    }

    private record HttpUpstreamResponse(HttpClientResponse response) implements UpstreamResponse {

        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public MultiMap headers() {
            return response.headers();
        }

        @Override
        public Future<Buffer> body() {
            return response.body();
        }

        @Override
        public ReadStream<Buffer> stream() {
            return response;
        }
    }
}
