package dev.gearbox.providers.vertex;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.anthropic.MessagesTranslator;
import dev.gearbox.providers.gemini.GeminiErrors;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Claude on Vertex AI: Anthropic's Messages translators, at {@code :rawPredict} (or {@code :streamRawPredict})
 * of the model's path, with the body as Vertex takes it: no {@code model} (the path names it) and
 * {@code anthropic_version: vertex-2023-10-16}. Answers, streams and errors are Anthropic's own.
 */
final class VertexClaudeTranslator implements Translator {

    static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    private final MessagesTranslator messages;
    private final UpstreamTarget whole;
    private final UpstreamTarget streamed;

    VertexClaudeTranslator(UpstreamTarget whole, UpstreamTarget streamed, long created) {
        this.messages = MessagesTranslator.of(whole, created);
        this.whole = whole;
        this.streamed = streamed;
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return request.stream() ? streamed : whole;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        JsonObject body = messages.request(request, model).json();
        body.remove("model");
        if (!body.containsKey("anthropic_version")) {
            body.put("anthropic_version", ANTHROPIC_VERSION);
        }
        return UpstreamBody.of(body);
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        return messages.answer(body, contentType);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        messages.feed(chunk, events);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        // Vertex answers failures of its own (401, 403, 404, quota) in Google's shape, the model's in Anthropic's.
        ProviderError google = GeminiErrors.read(body);
        return google.code() != null ? google : messages.error(status, body);
    }
}
