package dev.gearbox.providers.openai;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ProviderApi;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.WireFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider for any endpoint that speaks OpenAI's API: OpenAI, DeepSeek, Gemini's OpenAI-compatible
 * endpoint, Groq, Together, OpenRouter, vLLM, Ollama.
 *
 * <p>Its translator is the {@link CanonicalTranslator} with the {@link RequestQuirk}s of the upstream
 * model: bodies pass through as the client wrote them apart from those; responses come back untouched.
 */
public final class OpenAiProvider implements Provider {

    private static final List<RequestQuirk> QUIRKS = List.of(new OpenAiReasoningModelQuirk(), new DeepSeekReasonerQuirk());

    private final ProviderConfig config;
    private final HttpUpstream upstream;
    /** The quirks of each upstream model, worked out once rather than matched per request. */
    private final Map<String, List<CanonicalTranslator.RequestAdjustment>> quirksByModel = new ConcurrentHashMap<>();

    public OpenAiProvider(String name, ProviderConfig config, HttpClient client) {
        this.config = config;
        MultiMap auth = HttpHeaders.headers();
        if (config.apiKey() != null) {
            auth.add(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey().value());
        }
        this.upstream = HttpUpstream.of(name, config, client, auth);
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
        return upstream.send(request, request.headers());
    }
}
