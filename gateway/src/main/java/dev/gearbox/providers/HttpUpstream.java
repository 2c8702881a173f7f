package dev.gearbox.providers;

import dev.gearbox.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One provider's HTTP API, as every HTTP provider family calls it: a POST below the base URL, with the
 * family's own headers, cancelled when the answer is no longer wanted, and failures told apart the same way
 * for all (the gateway's own pool being busy is never the provider's timeout).
 */
public final class HttpUpstream {

    private final String name;
    private final ProviderConfig config;
    private final HttpClient client;
    private final URI base;
    private final boolean ssl;
    private final int port;
    private final MultiMap streamHeaders;
    private final MultiMap wholeHeaders;

    private HttpUpstream(String name, ProviderConfig config, HttpClient client, MultiMap familyHeaders) {
        this.name = name;
        this.config = config;
        this.client = client;
        this.base = URI.create(config.baseUrl());
        this.ssl = "https".equals(base.getScheme());
        this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
        this.streamHeaders = fixedHeaders("text/event-stream", familyHeaders);
        this.wholeHeaders = fixedHeaders("application/json", familyHeaders);
    }

    /**
     * @param familyHeaders what the provider family sends on every call (its key, its API version); the
     *     provider's configured {@code headers} follow them and win
     */
    public static HttpUpstream of(String name, ProviderConfig config, HttpClient client, MultiMap familyHeaders) {
        return new HttpUpstream(name, config, client, familyHeaders);
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

    /** Built once rather than per request; never changed after. */
    private MultiMap fixedHeaders(String accept, MultiMap familyHeaders) {
        MultiMap headers = HttpHeaders.headers()
                .add(HttpHeaders.CONTENT_TYPE, "application/json")
                .add(HttpHeaders.ACCEPT, accept)
                .addAll(familyHeaders);
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.set(header.getKey(), header.getValue());
        }
        return headers;
    }

    /**
     * Sends {@code request}'s body to its operation's path.
     *
     * @param extra headers for this call only, set over the fixed ones; null for none
     */
    public Future<UpstreamResponse> send(UpstreamRequest request, MultiMap extra) {
        Buffer body = request.body().bytes();
        // Host, port and path are known from the config; parsing an absolute URI per request is wasted work.
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(base.getHost())
                .setPort(port)
                .setSsl(ssl)
                .setURI(base.getRawPath() + request.operation().path())
                // Vert.x times getting a connection with this, opening one included. Opening has its own, shorter
                // timeout (a provider that cannot be reached is its failure), so what runs out here is the wait.
                .setConnectTimeout(config.connectTimeoutMs() + config.poolWaitMs())
                .setIdleTimeout(config.readTimeoutMs());
        MultiMap fixed = request.stream() ? streamHeaders : wholeHeaders;
        if (extra == null || extra.isEmpty()) {
            // Vert.x copies the options' headers into the request, so the provider's own map is shared.
            options.setHeaders(fixed);
        } else {
            MultiMap headers = HttpHeaders.headers().addAll(fixed);
            for (Map.Entry<String, String> header : extra) {
                headers.set(header.getKey(), header.getValue());
            }
            options.setHeaders(headers);
        }
        return client.request(options)
                .recover(failure -> Future.failedFuture(noConnection(failure)))
                .compose(httpRequest -> {
                    request.cancellation().onCancel(httpRequest::reset);
                    return httpRequest.send(body);
                })
                .<UpstreamResponse>map(HttpUpstreamResponse::new)
                .recover(failure -> Future.failedFuture(translate(failure)));
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
