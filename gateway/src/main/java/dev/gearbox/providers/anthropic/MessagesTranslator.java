package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.UpstreamBody;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * One attempt's translator to Anthropic's Messages API. A request a client sent in Messages goes as it was
 * sent, with only the model replaced; a chat request is translated ({@link ChatToMessagesRequest}). Either
 * way the answer comes back canonical ({@link MessagesToChatAnswer}, {@link MessagesToChatStream}).
 */
public final class MessagesTranslator implements Translator {

    private final UpstreamTarget target;
    private final long created;
    private String jsonTool;
    private MessagesToChatStream stream;

    private MessagesTranslator(UpstreamTarget target, long created) {
        this.target = target;
        this.created = created;
    }

    /**
     * A translator to the Messages API at {@code target}: Anthropic's own, or another that serves Messages
     * (Vertex AI's {@code rawPredict}).
     *
     * @param created the answer's creation time, in epoch seconds
     */
    public static MessagesTranslator of(UpstreamTarget target, long created) {
        return new MessagesTranslator(target, created);
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return target;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        NativeRequest origin = request.nativeRequest().orElse(null);
        if (origin != null && origin.format() == WireFormat.ANTHROPIC_MESSAGES) {
            return origin.toUpstream(model.upstream());
        }
        String routedEffort = request instanceof ChatRequest chat ? chat.routedEffort().orElse(null) : null;
        JsonObject body = ChatToMessagesRequest.translate(request.body(), model, routedEffort);
        if (body.getValue("tool_choice") instanceof JsonObject choice
                && ChatToMessagesRequest.JSON_TOOL.equals(choice.getValue("name"))
                && body.getValue("tools") instanceof JsonArray tools && tools.size() == 1) {
            jsonTool = ChatToMessagesRequest.JSON_TOOL;
        }
        return UpstreamBody.of(body);
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        return MessagesToChatAnswer.translate(body, contentType, jsonTool, created);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        if (stream == null) {
            stream = new MessagesToChatStream(jsonTool, created);
        }
        stream.feed(chunk, events);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        return MessagesErrors.read(body);
    }
}
