package dev.gearbox.inbound.completions;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.inbound.EventWriter;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.openai.OpenAiRendering;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Json;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's legacy text completions, {@code POST /v1/completions}, which older tools (LangChain's
 * {@code OpenAI} class among them) still call: translated to chat completions for the pipeline, and chat
 * answers rendered back as {@code text_completion} objects, whole or as a stream ending in
 * {@code data: [DONE]}. Errors have OpenAI's shape.
 */
public final class CompletionsApi implements InboundApi {

    private CompletionsApi() {
    }

    public static CompletionsApi create() {
        return new CompletionsApi();
    }

    @Override
    public Request parse(Buffer body) {
        return CompletionsToChat.translate(Json.request(body), body.length());
    }

    @Override
    public void render(Exchange exchange, Answer answer, HttpServerResponse response) {
        if (answer instanceof WholeAnswer whole) {
            response.putHeader("content-type", "application/json").end(completion(whole.json()).toBuffer());
            return;
        }
        boolean wantsUsage = CompletionsToChat.clientWantsUsage(exchange.request().nativeRequest().orElseThrow().body());
        AnswerStream stream = (AnswerStream) answer;
        EventWriter writer = EventWriter.of(response, stream);
        stream.consume(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                if (writer.over() || data.length() == 0 || data.bytes()[data.offset()] != '{') {
                    return;
                }
                JsonObject chunk = new JsonObject(data.toBuffer());
                JsonObject out = chunk.containsKey("error") ? chunk : chunk(chunk, wantsUsage);
                if (out != null) {
                    writer.write(OpenAiRendering.frame(sse(out)));
                }
            }

            @Override
            public void flush() {
                writer.flush();
            }

            @Override
            public void end(StreamEnd end) {
                if (end instanceof StreamEnd.Done) {
                    writer.end(Buffer.buffer("data: [DONE]\n\n"));
                } else if (end instanceof StreamEnd.Failed failed) {
                    writer.end(OpenAiRendering.frame(sse(new JsonObject(failed.error().toBody()))));
                } else {
                    writer.end(null);
                }
            }
        });
    }

    @Override
    public void renderError(ApiException error, HttpServerResponse response) {
        OpenAiRendering.renderError(error, response);
    }

    /** A chat completion as a text completion. */
    static JsonObject completion(JsonObject chat) {
        JsonArray choices = new JsonArray();
        for (Object value : chat.getValue("choices") instanceof JsonArray all ? all : new JsonArray()) {
            if (!(value instanceof JsonObject choice)) {
                continue;
            }
            JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
            choices.add(new JsonObject().put("text", message.getValue("content") instanceof String s ? s : "")
                    .put("index", choice.getValue("index", choices.size())).putNull("logprobs")
                    .put("finish_reason", choice.getValue("finish_reason")));
        }
        JsonObject out = head(chat).put("choices", choices);
        if (chat.getValue("usage") instanceof JsonObject usage) {
            out.put("usage", usage);
        }
        return out;
    }

    /** A chat chunk as a text completion chunk; null for one that says nothing a text completion says. */
    static JsonObject chunk(JsonObject chat, boolean wantsUsage) {
        JsonArray choices = new JsonArray();
        for (Object value : chat.getValue("choices") instanceof JsonArray all ? all : new JsonArray()) {
            if (!(value instanceof JsonObject choice)) {
                continue;
            }
            JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
            String text = delta.getValue("content") instanceof String s ? s : "";
            if (!text.isEmpty() || choice.getValue("finish_reason") != null) {
                choices.add(new JsonObject().put("text", text).put("index", choice.getValue("index", 0)).putNull("logprobs")
                        .put("finish_reason", choice.getValue("finish_reason")));
            }
        }
        boolean usage = chat.getValue("usage") instanceof JsonObject && wantsUsage;
        if (choices.isEmpty() && !usage) {
            return null;
        }
        JsonObject out = head(chat).put("choices", choices);
        if (usage) {
            out.put("usage", chat.getValue("usage"));
        }
        return out;
    }

    private static JsonObject head(JsonObject chat) {
        String id = chat.getValue("id") instanceof String s ? s : "";
        return new JsonObject().put("id", id.startsWith("chatcmpl-") ? "cmpl-" + id.substring("chatcmpl-".length()) : id)
                .put("object", "text_completion").put("created", chat.getValue("created")).put("model", chat.getValue("model"))
                .put("system_fingerprint", chat.getValue("system_fingerprint"));
    }

    private static SseEvent sse(JsonObject json) {
        byte[] bytes = json.toBuffer().getBytes();
        return new SseEvent(bytes, 0, bytes.length);
    }
}
