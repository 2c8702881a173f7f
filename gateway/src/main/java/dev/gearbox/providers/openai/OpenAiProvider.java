package dev.gearbox.providers.openai;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ProviderApi;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.ProviderException;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
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
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.WireFormat;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A provider for any endpoint that speaks OpenAI's API: OpenAI, DeepSeek, Gemini's OpenAI-compatible
 * endpoint, Groq, Together, OpenRouter, vLLM, Ollama.
 *
 * <p>Its translator is the {@link CanonicalTranslator} with the {@link RequestQuirk}s of the upstream
 * model: bodies pass through as the client wrote them apart from those; responses come back untouched.
 */
public final class OpenAiProvider implements Provider {

    private static final List<RequestQuirk> QUIRKS = List.of(new OpenAiReasoningModelQuirk(), new DeepSeekReasonerQuirk());

    private final String name;
    private final ProviderConfig config;
    private final HttpClient client;
    private final String authorization;
    private final URI base;
    private final MultiMap streamHeaders;
    private final MultiMap wholeHeaders;
    /** The quirks of each upstream model, worked out once rather than matched per request. */
    private final Map<String, List<CanonicalTranslator.RequestAdjustment>> quirksByModel = new ConcurrentHashMap<>();

    public OpenAiProvider(String name, ProviderConfig config, HttpClient client) {
        this.name = name;
        this.config = config;
        this.client = client;
        this.authorization = config.apiKey() == null ? null : "Bearer " + config.apiKey().value();
        this.base = URI.create(config.baseUrl());
        this.streamHeaders = fixedHeaders("text/event-stream");
        this.wholeHeaders = fixedHeaders("application/json");
    }

    /** The headers every call carries, built once rather than per request; never changed after. */
    private MultiMap fixedHeaders(String accept) {
        MultiMap headers = HttpHeaders.headers()
                .add(HttpHeaders.CONTENT_TYPE, "application/json")
                .add(HttpHeaders.ACCEPT, accept);
        if (authorization != null) {
            headers.add(HttpHeaders.AUTHORIZATION, authorization);
        }
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            headers.add(header.getKey(), header.getValue());
        }
        return headers;
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        Operation operation = request.operation();
        if (request.nativeRequest().isPresent()) {
            NativeRequest origin = request.nativeRequest().get();
            if (origin.format() == WireFormat.OPENAI_RESPONSES && config.serves(ProviderApi.RESPONSES)) {
                return OpenAiResponsesTranslator.of(origin);
            }
            if (origin.format() == WireFormat.OPENAI_COMPLETIONS && config.serves(ProviderApi.COMPLETIONS)) {
                return OpenAiCompletionsTranslator.of(origin);
            }
        }
        if (operation != Operation.CHAT_COMPLETIONS) {
            return CanonicalTranslator.of(operation);
        }
        return CanonicalTranslator.of(quirksByModel.computeIfAbsent(model.upstream(), upstream -> QUIRKS.stream()
                .filter(q -> q.appliesTo(upstream)).<CanonicalTranslator.RequestAdjustment>map(q -> q::apply).toList()));
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        Buffer body = request.body().bytes();
        boolean ssl = "https".equals(base.getScheme());
        // Host, port and path are known from the config; parsing an absolute URI per request is wasted work.
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80)
                .setSsl(ssl)
                .setURI(base.getRawPath() + request.operation().path())
                // Vert.x times getting a connection with this, opening one included. Opening has its own, shorter
                // timeout (a provider that cannot be reached is its failure), so what runs out here is the wait.
                .setConnectTimeout(config.connectTimeoutMs() + config.poolWaitMs())
                .setIdleTimeout(config.readTimeoutMs());
        MultiMap fixed = request.stream() ? streamHeaders : wholeHeaders;
        if (request.headers() == null) {
            // Vert.x copies the options' headers into the request, so the provider's own map is shared.
            options.setHeaders(fixed);
        } else {
            MultiMap headers = HttpHeaders.headers().addAll(fixed);
            for (Map.Entry<String, String> header : request.headers()) {
                headers.add(header.getKey(), header.getValue());
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

    private static final class HttpUpstreamResponse implements UpstreamResponse {
        private final HttpClientResponse response;

        HttpUpstreamResponse(HttpClientResponse response) {
            this.response = response;
        }

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
