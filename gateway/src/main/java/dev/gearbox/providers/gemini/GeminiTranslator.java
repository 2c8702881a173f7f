package dev.gearbox.providers.gemini;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * One attempt's translator to Gemini's {@code generateContent}, on the Gemini API or on Vertex AI (the same
 * wire format at another address): the chat request out ({@link ChatToGeminiRequest}), the answer back
 * canonical ({@link GeminiToChatAnswer}, {@link GeminiToChatStream}), errors read ({@link GeminiErrors}).
 */
public final class GeminiTranslator implements Translator {

    private final UpstreamTarget whole;
    private final UpstreamTarget streamed;
    private final long created;
    private GeminiToChatStream stream;

    private GeminiTranslator(UpstreamTarget whole, UpstreamTarget streamed, long created) {
        this.whole = whole;
        this.streamed = streamed;
        this.created = created;
    }

    /**
     * @param whole where a whole answer is asked for ({@code ...:generateContent})
     * @param streamed where a stream is ({@code ...:streamGenerateContent?alt=sse})
     * @param created the answer's creation time, in epoch seconds
     */
    public static GeminiTranslator of(UpstreamTarget whole, UpstreamTarget streamed, long created) {
        return new GeminiTranslator(whole, streamed, created);
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return request.stream() ? streamed : whole;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        String routedEffort = request instanceof ChatRequest chat ? chat.routedEffort().orElse(null) : null;
        return UpstreamBody.of(ChatToGeminiRequest.translate(request.body(), routedEffort));
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        return GeminiToChatAnswer.translate(body, contentType, created);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        if (stream == null) {
            stream = new GeminiToChatStream(created);
        }
        stream.feed(chunk, events);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        return GeminiErrors.read(body);
    }
}
