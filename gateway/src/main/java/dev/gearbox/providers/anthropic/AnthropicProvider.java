package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.ProviderException;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Anthropic's Messages API. The key goes as {@code x-api-key}, with {@code anthropic-version} (2023-06-01
 * unless the provider's headers set another); {@code anthropic-beta} and any other header come from the
 * provider's {@code headers}. Betas a Messages client asked for are added to the provider's own.
 */
public final class AnthropicProvider implements Provider {

    /** The API version the translators are written against. */
    public static final String API_VERSION = "2023-06-01";
    private static final String BETA = "anthropic-beta";

    private final String name;
    private final ProviderConfig config;
    private final HttpClient client;
    private final Clock clock;
    private final URI base;

    public AnthropicProvider(String name, ProviderConfig config, HttpClient client, Clock clock) {
        this.name = name;
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.base = URI.create(config.baseUrl());
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        return new MessagesTranslator(clock.millis() / 1000);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        Buffer body = request.body().bytes();
        boolean ssl = "https".equals(base.getScheme());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80)
                .setSsl(ssl)
                .setURI(base.getRawPath() + request.operation().path())
                .setConnectTimeout(config.connectTimeoutMs())
                .setIdleTimeout(config.readTimeoutMs())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json")
                .putHeader("anthropic-version", API_VERSION);
        if (config.apiKey() != null) {
            options.putHeader("x-api-key", config.apiKey().value());
        }
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            options.putHeader(header.getKey(), header.getValue());
        }
        if (request.headers() != null) {
            for (Map.Entry<String, String> header : request.headers()) {
                String configured = BETA.equalsIgnoreCase(header.getKey()) ? config.headers().entrySet().stream()
                        .filter(e -> BETA.equalsIgnoreCase(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null)
                        : null;
                options.putHeader(header.getKey(), configured == null ? header.getValue()
                        : configured + "," + header.getValue());
            }
        }
        return client.request(options)
                .compose(httpRequest -> {
                    request.cancellation().onCancel(httpRequest::reset);
                    return httpRequest.send(body);
                })
                .<UpstreamResponse>map(HttpUpstreamResponse::new)
                .recover(failure -> Future.failedFuture(translate(failure)));
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
