package dev.gearbox.providers.openai;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI's Responses API upstream for a client that spoke it: the client's body goes to {@code /responses}
 * with only {@code model} replaced, and the answer comes back into the canonical form, a chat completion or
 * chat completion chunks ending in a usage chunk and {@code [DONE]}, so the pipeline (usage, cache, pricing)
 * reads it as any other. The inbound API renders it as a Responses answer again.
 */
public final class OpenAiResponsesTranslator implements Translator {

    private static final SseEvent DONE = NativeAnswers.event(Buffer.buffer("[DONE]"));

    private final NativeRequest origin;
    private final UpstreamTarget target;
    private SseParser parser;
    private Consumer<SseEvent> events;
    private String id = "resp";
    private String model = "";
    private long created;
    /** The chunk's tool call index of each function call item, by item id. */
    private final Map<String, Integer> calls = new HashMap<>();
    private boolean sawCall;

    private OpenAiResponsesTranslator(NativeRequest origin, UpstreamTarget target) {
        this.origin = origin;
        this.target = target;
    }

    /** A translator that sends {@code origin}, the client's Responses request, to {@code target}. */
    public static OpenAiResponsesTranslator of(NativeRequest origin, UpstreamTarget target) {
        return new OpenAiResponsesTranslator(origin, target);
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return target;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        UpstreamBody body = origin.toUpstream(model.upstream());
        if (request instanceof ChatRequest chat && chat.routedEffort().isPresent()) {
            // The Responses API's own control of effort; the rest of the client's reasoning options stay.
            JsonObject reasoning = body.json().getValue("reasoning") instanceof JsonObject r ? r.copy() : new JsonObject();
            body.json().put("reasoning", reasoning.put("effort", chat.routedEffort().get()));
        }
        return body;
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        JsonObject response = NativeAnswers.json(body, contentType, "output");
        JsonArray output = response.getJsonArray("output");
        StringBuilder text = null;
        String refusal = null;
        JsonArray toolCalls = new JsonArray();
        for (Object value : output) {
            if (!(value instanceof JsonObject item)) {
                continue;
            }
            if ("message".equals(item.getValue("type")) && item.getValue("content") instanceof JsonArray content) {
                for (Object p : content) {
                    if (p instanceof JsonObject part && "output_text".equals(part.getValue("type"))
                            && part.getValue("text") instanceof String t) {
                        text = (text == null ? new StringBuilder() : text).append(t);
                    } else if (p instanceof JsonObject part && part.getValue("refusal") instanceof String r) {
                        refusal = r;
                    }
                }
            } else if ("function_call".equals(item.getValue("type"))) {
                toolCalls.add(new JsonObject().put("id", item.getValue("call_id")).put("type", "function")
                        .put("function", new JsonObject().put("name", item.getValue("name"))
                                .put("arguments", item.getValue("arguments"))));
            }
        }
        JsonObject message = new JsonObject().put("role", "assistant").put("content", text == null ? null : text.toString())
                .put("refusal", refusal);
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        Usage usage = usage(response.getValue("usage"));
        JsonObject completion = new JsonObject()
                .put("id", response.getValue("id"))
                .put("object", "chat.completion")
                .put("created", response.getValue("created_at"))
                .put("model", response.getValue("model"))
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .putNull("logprobs").put("finish_reason", finishReason(response, !toolCalls.isEmpty()))));
        if (usage != null) {
            completion.put("usage", chatUsage(usage));
        }
        return new TranslatedAnswer(completion.toBuffer(), "application/json", usage);
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
        JsonObject event = new JsonObject(data.toBuffer());
        Object type = event.getValue("type");
        if (!(type instanceof String t)) {
            throw new IllegalArgumentException("an event without a type");
        }
        switch (t) {
            case "response.created" -> {
                JsonObject response = event.getJsonObject("response", new JsonObject());
                id = String.valueOf(response.getValue("id"));
                model = String.valueOf(response.getValue("model"));
                created = response.getValue("created_at") instanceof Number n ? n.longValue() : 0;
                emit(new JsonObject().put("role", "assistant").put("content", ""), null);
            }
            case "response.output_text.delta", "response.refusal.delta" -> emit(new JsonObject()
                    .put(t.equals("response.refusal.delta") ? "refusal" : "content", event.getValue("delta")), null);
            case "response.output_item.added" -> {
                JsonObject item = event.getJsonObject("item", new JsonObject());
                if ("function_call".equals(item.getValue("type"))) {
                    int index = calls.size();
                    calls.put(String.valueOf(item.getValue("id")), index);
                    sawCall = true;
                    emit(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", index)
                            .put("id", item.getValue("call_id")).put("type", "function")
                            .put("function", new JsonObject().put("name", item.getValue("name")).put("arguments", "")))), null);
                }
            }
            case "response.function_call_arguments.delta" -> {
                Integer index = calls.get(String.valueOf(event.getValue("item_id")));
                if (index != null) {
                    emit(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", index)
                            .put("function", new JsonObject().put("arguments", event.getValue("delta"))))), null);
                }
            }
            case "response.completed", "response.incomplete" -> {
                JsonObject response = event.getJsonObject("response", new JsonObject());
                emit(new JsonObject(), finishReason(response, sawCall));
                Usage usage = usage(response.getValue("usage"));
                if (usage != null) {
                    events.accept(NativeAnswers.event(chunk().put("choices", new JsonArray())
                            .put("usage", chatUsage(usage)).toBuffer()));
                }
                events.accept(DONE);
            }
            case "response.failed", "error" -> {
                JsonObject error = event.getValue("response") instanceof JsonObject r && r.getValue("error") instanceof JsonObject e
                        ? e : event;
                events.accept(NativeAnswers.event(new JsonObject().put("error", new JsonObject()
                        .put("message", error.getValue("message") instanceof String m ? m : "The upstream response failed.")
                        .put("type", "server_error").put("code", error.getValue("code"))).toBuffer()));
            }
            default -> {
                // The other events (in progress, parts and items done) repeat what the deltas already said.
            }
        }
    }

    private void emit(JsonObject delta, String finishReason) {
        JsonObject chunk = chunk().put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                .putNull("logprobs").put("finish_reason", finishReason)));
        events.accept(NativeAnswers.event(chunk.toBuffer()));
    }

    private JsonObject chunk() {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    private static String finishReason(JsonObject response, boolean calledTools) {
        if ("incomplete".equals(response.getValue("status"))
                && response.getValue("incomplete_details") instanceof JsonObject details) {
            return "content_filter".equals(details.getValue("reason")) ? "content_filter" : "length";
        }
        return calledTools ? "tool_calls" : "stop";
    }

    private static Usage usage(Object value) {
        if (!(value instanceof JsonObject u) || !(u.getValue("input_tokens") instanceof Number input)) {
            return null;
        }
        long output = u.getValue("output_tokens") instanceof Number n ? n.longValue() : 0;
        long cached = u.getValue("input_tokens_details") instanceof JsonObject d && d.getValue("cached_tokens") instanceof Number n
                ? n.longValue() : 0;
        long reasoning = u.getValue("output_tokens_details") instanceof JsonObject d
                && d.getValue("reasoning_tokens") instanceof Number n ? n.longValue() : 0;
        return Usage.fromCounts(input.longValue(), output, cached, 0, reasoning);
    }

    private static JsonObject chatUsage(Usage usage) {
        return new JsonObject()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedPromptTokens()))
                .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()));
    }
}
