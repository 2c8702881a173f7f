package dev.gearbox.providers.openai;

import io.vertx.core.json.JsonObject;

/**
 * A translation of a standard chat request into what one family of upstream models accepts.
 *
 * <p>Real OpenAI-compatible endpoints differ in small ways; each difference is one quirk, applied in
 * place just before the request is sent.
 */
public interface RequestQuirk {

    /** Whether this quirk applies to the given upstream model name. */
    boolean appliesTo(String upstreamModel);

    /**
     * Rewrites a chat completion body. Top-level fields may be changed in place; nested objects and arrays
     * are shared with the client's body and must be copied before they are changed.
     */
    void apply(JsonObject body);
}
