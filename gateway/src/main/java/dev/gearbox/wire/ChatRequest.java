package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A chat completion request, read once from the client's bytes and checked for the fields the gateway relies on.
 *
 * <p>The body is scanned, not parsed into a tree: routing, admission, the cache and pricing read what they
 * need through {@link #view()}, which decodes a value when asked for, and the upstream body is the client's
 * bytes with only what the gateway changes spliced in ({@link ChatSplice}). The tree is built only for a
 * translator or feature that asks for {@link #body()}. A request another inbound API translated into chat is a
 * tree from the start. Every field the gateway does not own goes upstream exactly as the client sent it.
 */
public final class ChatRequest implements Request {

    /** The scanned body; null for a request held as a tree. */
    private final ScannedChat scanned;
    private final ChatView view;
    /** The tree of a translated request, or of a scanned one once asked for (with the gateway's output limit). */
    private JsonObject body;
    private final String model;
    private final boolean stream;
    private final boolean clientWantsUsage;
    private final Optional<NativeRequest> nativeRequest;
    /** Why the chat form cannot stand for the client's request; null when it can. */
    private final String noChatForm;
    /** The reasoning effort the gateway chose for this call, sent in place of the client's; null for none. */
    private final String routedEffort;
    /** The output limit the gateway set; 0 when it set none. */
    private final int addedLimit;
    private final int sizeBytes;

    private ChatRequest(ScannedChat scanned, ChatView view, JsonObject body, String model, boolean stream,
                        boolean clientWantsUsage, Optional<NativeRequest> nativeRequest, String noChatForm,
                        String routedEffort, int addedLimit, int sizeBytes) {
        this.scanned = scanned;
        this.view = view;
        this.body = body;
        this.model = model;
        this.stream = stream;
        this.clientWantsUsage = clientWantsUsage;
        this.nativeRequest = nativeRequest;
        this.noChatForm = noChatForm;
        this.routedEffort = routedEffort;
        this.addedLimit = addedLimit;
        this.sizeBytes = sizeBytes;
    }

    /** Reads and checks a request body; throws {@link ApiException} (400) when it is unusable. */
    public static ChatRequest parse(Buffer raw) {
        Bytes bytes = Bytes.of(raw);
        ScannedChat scanned = ScannedChat.scan(bytes.array(), bytes.offset(), bytes.length());
        if (scanned == null) {
            // Not one JSON object the scan vouches for: the parser gives the client's error, or, for what only
            // its limits accept (a depth past the scan's, a byte-order mark), the tree.
            JsonObject tree = JsonBody.parse(raw).json();
            return checked(null, ChatView.of(tree), tree, Optional.empty(), null, raw.length());
        }
        return checked(scanned, scanned, null, Optional.empty(), null, bytes.length());
    }

    /**
     * A request another inbound API translated from the client's own: {@code body} is its canonical form,
     * checked as a client's would be, and {@code origin} what the client sent, for providers that speak it.
     */
    public static ChatRequest translated(JsonObject body, NativeRequest origin) {
        return checked(null, ChatView.of(body), body, Optional.of(origin), null, origin.sizeBytes());
    }

    /**
     * A request whose content has no chat form ({@code why} names it, e.g. a turn of documents only): valid as
     * the client wrote it, so a provider that speaks the client's API is sent it, but it cannot be sent as
     * chat; {@code body} is what chat can say of it, for routing, and may hold no message.
     */
    public static ChatRequest withoutChatForm(JsonObject body, NativeRequest origin, String why) {
        return checked(null, ChatView.of(body), body, Optional.of(origin), why, origin.sizeBytes());
    }

    private static ChatRequest checked(ScannedChat scanned, ChatView view, JsonObject body, Optional<NativeRequest> origin,
                                       String noChatForm, int sizeBytes) {
        ChatChecks.check(view, noChatForm != null);
        boolean stream = ChatChecks.optionalBoolean("stream", view.value("stream"));
        boolean wantsUsage = view.value("stream_options") instanceof JsonObject o
                && ChatChecks.optionalBoolean("include_usage", o.getValue("include_usage"));
        return new ChatRequest(scanned, view, body, (String) view.value("model"), stream, wantsUsage, origin, noChatForm,
                null, 0, sizeBytes);
    }

    /**
     * This request with the reasoning effort the gateway chose for one upstream call: sent as
     * {@code reasoning_effort} in place of the client's, or as the provider's own control (Anthropic's thinking
     * budget). {@link #body()} stays the client's; the effort is an explicit rewrite that the splice honours.
     */
    public ChatRequest withRoutedEffort(String effort) {
        return new ChatRequest(scanned, view, body, model, stream, clientWantsUsage, nativeRequest, noChatForm, effort,
                addedLimit, sizeBytes);
    }

    /** The effort the gateway chose for this call, if it chose one. */
    public Optional<String> routedEffort() {
        return Optional.ofNullable(routedEffort);
    }

    /** What routing, admission, the cache and pricing read of the body, without a tree where it was scanned. */
    public ChatView view() {
        return view;
    }

    @Override
    public Operation operation() {
        return Operation.CHAT_COMPLETIONS;
    }

    @Override
    public int sizeBytes() {
        return sizeBytes;
    }

    @Override
    public Optional<NativeRequest> nativeRequest() {
        return nativeRequest;
    }

    @Override
    public int choices() {
        return view.value("n") instanceof Number n ? n.intValue() : 1;
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
    public Object field(String name) {
        if (addedLimit > 0 && (name.equals("max_tokens") || name.equals("max_completion_tokens"))) {
            return name.equals("max_tokens") ? addedLimit : null;
        }
        return view.value(name);
    }

    /** The body as a tree, built on first use for a scanned request: for translators that rewrite it. */
    @Override
    public JsonObject body() {
        if (body == null) {
            JsonObject tree = view.tree();
            if (addedLimit > 0) {
                // A shallow copy: the client's body stays as parsed, and nested values are not changed.
                tree = new JsonObject(new java.util.LinkedHashMap<>(tree.getMap()));
                tree.remove("max_completion_tokens");
                tree.put("max_tokens", addedLimit);
            }
            body = tree;
        }
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
        JsonObject limited = null;
        if (scanned == null) {
            // A shallow copy: the client's body stays as parsed, and nested values are not changed.
            limited = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
            limited.remove("max_completion_tokens");
            limited.put("max_tokens", tokens);
        }
        return new ChatRequest(scanned, limited == null ? view : ChatView.of(limited), limited, model, stream,
                clientWantsUsage, nativeRequest.map(origin -> origin.withOutputLimit(tokens)), noChatForm, routedEffort,
                tokens, sizeBytes);
    }

    /**
     * The body to send upstream: the client's body with the upstream model and, on streams, a request for
     * usage so the gateway always learns what was spent. For a scanned request the client's bytes with those
     * values spliced in, so nothing is encoded again; as JSON, a shallow copy: the client's body stays as sent
     * for the next candidate, and nested values are shared, so changes to them must copy first.
     */
    @Override
    public UpstreamBody toUpstream(String upstreamModel) {
        if (noChatForm != null) {
            throw ApiException.invalidRequest("messages", noChatForm + "; that has no chat completions form, so only a "
                    + "model of a provider that speaks the client's API takes this request as written, and '" + upstreamModel
                    + "' is sent chat completions.");
        }
        Buffer spliced = scanned == null ? null
                : ChatSplice.of(scanned, upstreamModel, stream, clientWantsUsage, routedEffort, addedLimit);
        return spliced == null ? UpstreamBody.of(json(upstreamModel)) : UpstreamBody.spliced(spliced, () -> json(upstreamModel));
    }

    private JsonObject json(String upstreamModel) {
        JsonObject out = new JsonObject(new java.util.LinkedHashMap<>(body().getMap()));
        out.put("model", upstreamModel);
        if (routedEffort != null) {
            out.put("reasoning_effort", routedEffort);
        }
        if (stream) {
            JsonObject options = out.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            out.put("stream_options", options.put("include_usage", true));
        }
        return out;
    }
}
