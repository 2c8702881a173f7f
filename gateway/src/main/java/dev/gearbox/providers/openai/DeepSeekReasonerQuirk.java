package dev.gearbox.providers.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Translates a chat request for DeepSeek's reasoner (DeepSeek-R1, {@code deepseek-reasoner}).
 *
 * <p>The reasoner returns its thinking as {@code reasoning_content}, and an SDK that appends the
 * assistant message to the history sends it back on the next turn; DeepSeek answers that with 400. The
 * field carries no information the model needs, so it is removed from input messages.
 */
public final class DeepSeekReasonerQuirk implements RequestQuirk {

    @Override
    public boolean appliesTo(String upstreamModel) {
        return upstreamModel.startsWith("deepseek-reasoner") || upstreamModel.endsWith("/deepseek-reasoner");
    }

    @Override
    public void apply(JsonObject body) {
        if (!(body.getValue("messages") instanceof JsonArray messages)) {
            return;
        }
        for (Object message : messages) {
            if (message instanceof JsonObject m) {
                m.remove("reasoning_content");
            }
        }
    }
}
