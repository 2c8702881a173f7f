package dev.gearbox.wire;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A client's request in the gateway's canonical form, OpenAI's: what every stage and translator reads,
 * whichever inbound API it came through.
 */
public sealed interface Request permits ChatRequest, InputRequest {

    Operation operation();

    /** The parsed body as the client sent it (or as its inbound API translated it); never changed. */
    JsonObject body();

    /** The model or alias the client named, or null when it named none. */
    String model();

    /** Whether the answer goes back as a stream of events. */
    boolean stream();

    /** Whether the client asked for the usage chunk at the end of a stream. */
    boolean clientWantsUsage();

    /** How many choices a complete answer has; 0 for an answer without choices, such as embeddings. */
    int choices();

    /** The size of the body as the client sent it, in bytes: what the work on it costs. */
    int sizeBytes();

    /** The body to send upstream to an OpenAI-compatible API, with {@code model} set to the upstream name. */
    UpstreamBody toUpstream(String upstreamModel);

    /**
     * A top-level value of the body as a parsed one holds it, or null: read without building the tree where the
     * body was scanned ({@link ChatRequest#view()}).
     */
    default Object field(String name) {
        return body().getValue(name);
    }

    /** The most output tokens per choice the request sets ({@code max_completion_tokens}, else {@code max_tokens}), or null. */
    default Integer outputLimit() {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            if (field(field) instanceof Number n && n.longValue() > 0) {
                return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
            }
        }
        return null;
    }

    /**
     * This request with {@code tokens} as its most output per choice, sent upstream in every form it may take
     * (the canonical body and the client's own), when it sets none; itself when it does, or when it has no
     * output to limit.
     */
    default Request withOutputLimit(int tokens) {
        return this;
    }

    /**
     * The client's own request when it came through an API other than the canonical one; a provider that
     * speaks that API is sent it instead of {@link #toUpstream}. Empty for canonical requests.
     */
    default Optional<NativeRequest> nativeRequest() {
        return Optional.empty();
    }
}
