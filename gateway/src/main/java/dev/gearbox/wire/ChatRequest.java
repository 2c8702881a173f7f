package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * A chat completion request, parsed once and checked for the fields the gateway relies on.
 *
 * <p>Every other field is left exactly as the client sent it, to be forwarded upstream.
 */
public final class ChatRequest implements Request {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** The client's bytes and where their fields lie; null for a request translated from another API. */
    private final Buffer raw;
    private final JsonBody parsed;
    private final JsonObject body;
    private final String model;
    private final boolean stream;
    private final boolean clientWantsUsage;
    private final Optional<NativeRequest> nativeRequest;
    /** Why the chat form cannot stand for the client's request; null when it can. */
    private final String noChatForm;
    /** The reasoning effort the gateway chose for this call, sent in place of the client's; null for none. */
    private final String routedEffort;
    /** The output limit the gateway set, spliced into the client's bytes; 0 when it set none. */
    private final int addedLimit;

    private ChatRequest(Buffer raw, JsonBody parsed, JsonObject body, String model, boolean stream,
                        boolean clientWantsUsage, Optional<NativeRequest> nativeRequest, String noChatForm,
                        String routedEffort, int addedLimit) {
        this.addedLimit = addedLimit;
        this.raw = raw;
        this.parsed = parsed;
        this.body = body;
        this.model = model;
        this.stream = stream;
        this.clientWantsUsage = clientWantsUsage;
        this.nativeRequest = nativeRequest;
        this.noChatForm = noChatForm;
        this.routedEffort = routedEffort;
    }

    /** Parses and checks a request body; throws {@link ApiException} (400) when it is unusable. */
    public static ChatRequest parse(Buffer raw) {
        JsonBody parsed = JsonBody.parse(raw);
        return checked(raw, parsed, parsed.json(), Optional.empty(), null);
    }

    /**
     * A request another inbound API translated from the client's own: {@code body} is its canonical form,
     * checked as a client's would be, and {@code origin} what the client sent, for providers that speak it.
     */
    public static ChatRequest translated(JsonObject body, NativeRequest origin) {
        return checked(null, null, body, Optional.of(origin), null);
    }

    /**
     * A request whose content has no chat form ({@code why} names it, e.g. a turn of documents only): valid as
     * the client wrote it, so a provider that speaks the client's API is sent it, but it cannot be sent as
     * chat; {@code body} is what chat can say of it, for routing, and may hold no message.
     */
    public static ChatRequest withoutChatForm(JsonObject body, NativeRequest origin, String why) {
        return checked(null, null, body, Optional.of(origin), why);
    }

    private static ChatRequest checked(Buffer raw, JsonBody parsed, JsonObject body, Optional<NativeRequest> origin,
                                       String noChatForm) {
        Object model = body.getValue("model");
        if (model != null && !(model instanceof String)) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (noChatForm == null || !(body.getValue("messages") instanceof JsonArray none) || !none.isEmpty()) {
            checkMessages(body.getValue("messages"));
        }
        boolean stream = optionalBoolean(body, "stream");
        boolean wantsUsage = false;
        Object options = body.getValue("stream_options");
        if (options != null) {
            if (!(options instanceof JsonObject o)) {
                throw ApiException.invalidRequest("stream_options", "'stream_options' must be an object.");
            }
            wantsUsage = optionalBoolean(o, "include_usage");
        }
        checkCount(body, "max_tokens", 1, Integer.MAX_VALUE);
        checkCount(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
        checkCount(body, "n", 1, 128);
        checkNumber(body, "temperature", 0, 2);
        checkNumber(body, "top_p", 0, 1);
        Object tools = body.getValue("tools");
        if (tools != null && !(tools instanceof JsonArray)) {
            throw ApiException.invalidRequest("tools", "'tools' must be an array.");
        }
        return new ChatRequest(raw, parsed, body, (String) model, stream, wantsUsage, origin, noChatForm, null, 0);
    }

    private static void checkMessages(Object value) {
        if (value == null) {
            throw ApiException.invalidRequest("messages", "Missing required parameter: 'messages'.");
        }
        if (!(value instanceof JsonArray messages)) {
            throw ApiException.invalidRequest("messages", "'messages' must be an array of message objects.");
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            if (!(messages.getValue(i) instanceof JsonObject message)) {
                throw ApiException.invalidRequest(param, "'" + param + "' must be an object.");
            }
            Object role = message.getValue("role");
            if (!(role instanceof String r) || !ROLES.contains(r)) {
                throw ApiException.invalidRequest(param + ".role", "'" + param + ".role' is " + JsonValues.describe(role)
                        + "; expected one of 'system', 'developer', 'user', 'assistant', 'tool'.");
            }
            Object content = message.getValue("content");
            if (content != null && !(content instanceof String) && !(content instanceof JsonArray)) {
                throw ApiException.invalidRequest(param + ".content",
                        "'" + param + ".content' must be a string or an array of content parts.");
            }
        }
    }

    private static boolean optionalBoolean(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a boolean, not " + JsonValues.describe(value) + ".");
        }
        return b;
    }

    private static void checkCount(JsonObject body, String field, long min, long max) {
        Object value = body.getValue(field);
        if (value == null) {
            return;
        }
        if (!JsonValues.isInteger(value, min, max)) {
            throw ApiException.invalidRequest(field, "'" + field + "' is " + JsonValues.describe(value) + "; expected an integer from "
                    + min + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ".");
        }
    }

    private static void checkNumber(JsonObject body, String field, double min, double max) {
        Object value = body.getValue(field);
        if (value == null) {
            return;
        }
        if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw ApiException.invalidRequest(field, "'" + field + "' is " + JsonValues.describe(value) + "; expected a number from "
                    + min + " to " + max + ".");
        }
    }

    /**
     * This request with the reasoning effort the gateway chose for one upstream call: sent as
     * {@code reasoning_effort} in place of the client's, or as the provider's own control (Anthropic's thinking
     * budget). {@link #body()} stays the client's; the effort is an explicit rewrite that the splice honours.
     */
    public ChatRequest withRoutedEffort(String effort) {
        return new ChatRequest(raw, parsed, body, model, stream, clientWantsUsage, nativeRequest, noChatForm, effort, addedLimit);
    }

    /** The effort the gateway chose for this call, if it chose one. */
    public Optional<String> routedEffort() {
        return Optional.ofNullable(routedEffort);
    }

    @Override
    public Operation operation() {
        return Operation.CHAT_COMPLETIONS;
    }

    @Override
    public int sizeBytes() {
        return raw != null ? raw.length() : nativeRequest.get().sizeBytes();
    }

    @Override
    public Optional<NativeRequest> nativeRequest() {
        return nativeRequest;
    }

    @Override
    public int choices() {
        return body.getValue("n") instanceof Number n ? n.intValue() : 1;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public boolean clientWantsUsage() {
        return clientWantsUsage;
    }

    @Override
    public JsonObject body() {
        return body;
    }

    @Override
    public ChatRequest withOutputLimit(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens: " + tokens + " (expected: > 0)");
        }
        if (outputLimit() != null) {
            return this;
        }
        // A shallow copy: the client's body stays as parsed, and nested values are not changed.
        JsonObject limited = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
        // A limit sent as null would follow the spliced one and undo it: such a body is encoded again instead.
        boolean nulls = body.containsKey("max_completion_tokens") || body.containsKey("max_tokens");
        limited.remove("max_completion_tokens");
        limited.put("max_tokens", tokens);
        return new ChatRequest(raw, nulls ? null : parsed, limited, model, stream, clientWantsUsage,
                nativeRequest.map(origin -> origin.withOutputLimit(tokens)), noChatForm, routedEffort, tokens);
    }

    /**
     * The body to send upstream: the client's body with the upstream model and, on streams, a request for
     * usage so the gateway always learns what was spent. Usually the client's bytes with those values
     * spliced in, so nothing is encoded again; as JSON, a shallow copy: the client's body stays as sent
     * for the next candidate, and nested values are shared, so changes to them must copy first.
     */
    @Override
    public UpstreamBody toUpstream(String upstreamModel) {
        if (noChatForm != null) {
            throw ApiException.invalidRequest("messages", noChatForm + "; that has no chat completions form, so only a "
                    + "model of a provider that speaks the client's API takes this request as written, and '" + upstreamModel
                    + "' is sent chat completions.");
        }
        Buffer spliced = splice(upstreamModel);
        return spliced == null ? UpstreamBody.of(json(upstreamModel)) : UpstreamBody.spliced(spliced, () -> json(upstreamModel));
    }

    private JsonObject json(String upstreamModel) {
        JsonObject out = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
        out.put("model", upstreamModel);
        if (routedEffort != null) {
            out.put("reasoning_effort", routedEffort);
        }
        if (stream) {
            JsonObject options = body.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            out.put("stream_options", options.put("include_usage", true));
        }
        return out;
    }

    /**
     * The client's bytes with the upstream model, and what the gateway adds (a usage request, its effort, its
     * output limit), in place; null when a splice will not do.
     */
    private Buffer splice(String upstreamModel) {
        if (parsed == null || !parsed.spliceable() || (stream && parsed.hasStreamOptions() && !clientWantsUsage)
                || (routedEffort != null && body.containsKey("reasoning_effort"))) {
            // Replacing a value needs its place in the bytes, which only the model's is known: encode instead.
            return null;
        }
        String insert = (stream && !parsed.hasStreamOptions() ? "\"stream_options\":{\"include_usage\":true}," : "")
                + (parsed.hasModel() ? "" : "\"model\":" + Json.encode(upstreamModel) + ",")
                + (routedEffort == null ? "" : "\"reasoning_effort\":" + Json.encode(routedEffort) + ",")
                + (addedLimit > 0 ? "\"max_tokens\":" + addedLimit + "," : "");
        int at = parsed.objectStart() + 1;
        Buffer out = Buffer.buffer(raw.length() + insert.length() + upstreamModel.length() + 8);
        out.appendBuffer(raw, 0, at).appendString(insert);
        if (parsed.hasModel()) {
            out.appendBuffer(raw, at, parsed.modelStart() - at).appendString(Json.encode(upstreamModel))
                    .appendBuffer(raw, parsed.modelEnd(), raw.length() - parsed.modelEnd());
        } else {
            out.appendBuffer(raw, at, raw.length() - at);
        }
        return out;
    }
}
