package dev.gearbox.providers.openai;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.WireFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final HttpUpstream upstream;
    private final Set<ServedApi> apis;
    private final UpstreamTarget chat;
    private final UpstreamTarget embeddings;
    private final UpstreamTarget moderations;
    private final UpstreamTarget responses;
    private final UpstreamTarget completions;
    /** The quirks of each upstream model, worked out once rather than matched per request. */
    private final Map<String, List<CanonicalTranslator.RequestAdjustment>> quirksByModel = new ConcurrentHashMap<>();

    OpenAiProvider(ProviderConfig config, HttpUpstream upstream, Set<ServedApi> apis) {
        this.upstream = upstream;
        this.apis = apis;
        Authentication key = Authentication.header(HttpHeaders.AUTHORIZATION.toString(),
                config.apiKey() == null ? null : "Bearer " + config.apiKey().value());
        this.chat = UpstreamTarget.post("/chat/completions", key);
        this.embeddings = UpstreamTarget.post("/embeddings", key);
        this.moderations = UpstreamTarget.post("/moderations", key);
        this.responses = UpstreamTarget.post("/responses", key);
        this.completions = UpstreamTarget.post("/completions", key);
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        Operation operation = request.operation();
        if (request.nativeRequest().isPresent()) {
            NativeRequest origin = request.nativeRequest().get();
            if (origin.format() == WireFormat.OPENAI_RESPONSES && apis.contains(ServedApi.RESPONSES)) {
                return OpenAiResponsesTranslator.of(origin, responses);
            }
            if (origin.format() == WireFormat.OPENAI_COMPLETIONS && apis.contains(ServedApi.COMPLETIONS)) {
                return OpenAiCompletionsTranslator.of(origin, completions);
            }
        }
        return switch (operation) {
            case EMBEDDINGS -> CanonicalTranslator.of(operation, embeddings);
            case MODERATIONS -> CanonicalTranslator.of(operation, moderations);
            case CHAT_COMPLETIONS -> CanonicalTranslator.of(chat, quirksByModel.computeIfAbsent(model.upstream(),
                    upstream -> QUIRKS.stream().filter(q -> q.appliesTo(upstream))
                            .<CanonicalTranslator.RequestAdjustment>map(q -> q::apply).toList()));
        };
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        return upstream.send(request, request.headers());
    }
}
