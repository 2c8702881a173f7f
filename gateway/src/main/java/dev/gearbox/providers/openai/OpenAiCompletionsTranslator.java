package dev.gearbox.providers.openai;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * OpenAI's legacy completions upstream for a client that spoke them: the client's body goes to
 * {@code /completions} with the model replaced (and, on streams, a request for usage, so the gateway learns
 * what was spent), and text completions come back as chat completions and chunks for the pipeline.
 */
public final class OpenAiCompletionsTranslator implements Translator {

    private final NativeRequest origin;
    private final UpstreamTarget target;
    private SseParser parser;
    private Consumer<SseEvent> events;

    private OpenAiCompletionsTranslator(NativeRequest origin, UpstreamTarget target) {
        this.origin = origin;
        this.target = target;
    }

    /** A translator that sends {@code origin}, the client's completions request, to {@code target}. */
    public static OpenAiCompletionsTranslator of(NativeRequest origin, UpstreamTarget target) {
        return new OpenAiCompletionsTranslator(origin, target);
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return target;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        UpstreamBody body = origin.toUpstream(model.upstream());
        if (request.stream()) {
            JsonObject options = body.json().getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            body.json().put("stream_options", options.put("include_usage", true));
        }
        return body;
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        JsonObject completion = NativeAnswers.json(body, contentType, "choices");
        JsonObject chat = chat(completion, "chat.completion", "message");
        return new TranslatedAnswer(chat.toBuffer(), "application/json", Usage.fromJson(completion.getValue("usage")));
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        if (parser == null) {
            this.events = events;
            parser = new SseParser(NativeAnswers.MAX_EVENT_BYTES, this::onEvent);
        }
        parser.feed(chunk);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        return CanonicalTranslator.openAiError(body);
    }

    private void onEvent(SseEvent data) {
        if (data.length() == 0 || data.bytes()[data.offset()] != '{') {
            // [DONE] and anything else that is not an object go on as they are, for the relay to judge.
            events.accept(data);
            return;
        }
        JsonObject completion = new JsonObject(data.toBuffer());
        JsonObject chat = completion.getValue("error") instanceof JsonObject ? completion
                : chat(completion, "chat.completion.chunk", "delta");
        events.accept(NativeAnswers.event(chat.toBuffer()));
    }

    /** A text completion (or chunk) as a chat completion (or chunk): each choice's text as its content. */
    private static JsonObject chat(JsonObject completion, String object, String messageField) {
        JsonArray choices = new JsonArray();
        for (Object value : completion.getValue("choices") instanceof JsonArray all ? all : new JsonArray()) {
            if (!(value instanceof JsonObject choice)) {
                continue;
            }
            JsonObject message = new JsonObject();
            if ("message".equals(messageField)) {
                message.put("role", "assistant");
            }
            message.put("content", choice.getValue("text") instanceof String t ? t : "");
            choices.add(new JsonObject().put("index", choice.getValue("index", choices.size())).put(messageField, message)
                    .putNull("logprobs").put("finish_reason", choice.getValue("finish_reason")));
        }
        JsonObject chat = new JsonObject().put("id", completion.getValue("id")).put("object", object)
                .put("created", completion.getValue("created")).put("model", completion.getValue("model"))
                .put("system_fingerprint", completion.getValue("system_fingerprint")).put("choices", choices);
        if (completion.getValue("usage") instanceof JsonObject usage) {
            chat.put("usage", usage);
        }
        return chat;
    }
}
