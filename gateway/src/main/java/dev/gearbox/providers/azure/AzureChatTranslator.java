package dev.gearbox.providers.azure;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Chat completions with Azure OpenAI: the wire format is OpenAI's, so bodies are spliced and answers relayed
 * as they come (a filtered completion's {@code finish_reason: content_filter} and its
 * {@code content_filter_results} included, and the usage chunk of a stream); what Azure adds is its error
 * shape. A prompt its content filter refused is the client's 400 with code {@code content_filter}, naming the
 * categories that were filtered and at what severity.
 */
final class AzureChatTranslator implements Translator {

    private final CanonicalTranslator canonical;

    AzureChatTranslator(CanonicalTranslator canonical) {
        this.canonical = canonical;
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return canonical.target(request, model);
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        return canonical.request(request, model);
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        return canonical.answer(body, contentType);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        canonical.feed(chunk, events);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        ProviderError said = CanonicalTranslator.openAiError(body);
        JsonObject error;
        try {
            error = new JsonObject(body).getJsonObject("error");
        } catch (RuntimeException notAzuresShape) {
            return said;
        }
        if (error == null || !"content_filter".equals(said.code())) {
            return said;
        }
        Map<String, String> filtered = filtered(error);
        String message = said.message() == null ? "The prompt was filtered by Azure OpenAI's content filter." : said.message();
        if (!filtered.isEmpty()) {
            message = message + " (filtered: " + String.join(", ", filtered.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList()) + ")";
        }
        return new ProviderError(message, "invalid_request_error", "content_filter", said.param() == null ? "prompt" : said.param());
    }

    /** The categories Azure's filter stopped, with their severity, from {@code innererror.content_filter_result}. */
    private static Map<String, String> filtered(JsonObject error) {
        Map<String, String> out = new TreeMap<>();
        Object inner = error.getValue("innererror") instanceof JsonObject i ? i.getValue("content_filter_result") : null;
        if (inner instanceof JsonArray list && !list.isEmpty() && list.getValue(0) instanceof JsonObject first) {
            inner = first.getValue("content_filter_results");
        }
        if (inner instanceof JsonObject results) {
            for (Map.Entry<String, Object> category : results) {
                if (category.getValue() instanceof JsonObject result && Boolean.TRUE.equals(result.getValue("filtered"))) {
                    out.put(category.getKey(), String.valueOf(result.getValue("severity", "detected")));
                }
            }
        }
        return out;
    }
}
