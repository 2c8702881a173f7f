package dev.gearbox.providers.bedrock;

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
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * One attempt's translator to Bedrock's Converse API: {@code /model/{id}/converse} for a whole answer,
 * {@code /model/{id}/converse-stream} (an AWS event stream) for a stream; the request by
 * {@link ChatToConverseRequest}, the answer by {@link ConverseToChatAnswer} and {@link ConverseStreamToChat}.
 */
final class ConverseTranslator implements Translator {

    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private final UpstreamTarget whole;
    private final UpstreamTarget streamed;
    private final String id;
    private final long created;
    private String model = "";
    private String jsonTool;
    private ConverseStreamToChat stream;

    /** @param id the answer's id, as Converse gives none */
    ConverseTranslator(UpstreamTarget whole, UpstreamTarget streamed, String id, long created) {
        this.whole = whole;
        this.streamed = streamed;
        this.id = id;
        this.created = created;
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return request.stream() ? streamed : whole;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        this.model = model.upstream();
        String routedEffort = request instanceof ChatRequest chat ? chat.routedEffort().orElse(null) : null;
        JsonObject body = ChatToConverseRequest.translate(request.body(), model, routedEffort);
        if (body.getValue("toolConfig") instanceof JsonObject config && config.getValue("toolChoice") instanceof JsonObject choice
                && choice.getValue("tool") instanceof JsonObject tool && ChatToConverseRequest.JSON_TOOL.equals(tool.getValue("name"))) {
            jsonTool = ChatToConverseRequest.JSON_TOOL;
        }
        return UpstreamBody.of(body);
    }

    @Override
    public String streamContentType() {
        return EVENT_STREAM;
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        return ConverseToChatAnswer.translate(body, contentType, jsonTool, id, model, created);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        if (stream == null) {
            stream = new ConverseStreamToChat(jsonTool, id, model, created);
        }
        stream.feed(chunk, events);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        return BedrockErrors.read(status, body);
    }
}
