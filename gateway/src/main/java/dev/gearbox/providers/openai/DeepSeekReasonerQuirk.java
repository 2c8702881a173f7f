package dev.gearbox.providers.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Translates a chat request for DeepSeek's reasoner (DeepSeek-R1, {@code deepseek-reasoner}).
 *
 * <p>The reasoner returns its thinking as {@code reasoning_content}, and an SDK that appends the
 * assistant message to the history sends it back on the next turn; DeepSeek answers that with 400. The
 * field carries no information the model needs, so it is removed from input messages. Its effort takes
 * only {@code high} (and {@code max}), where the first R1 ignored any: a lower effort, which it cannot give, is
 * removed rather than refused.
 * Only the top level of the body may be changed in place; nested values are copied before changing.
 */
public final class DeepSeekReasonerQuirk implements RequestQuirk {

    @Override
    public boolean appliesTo(String upstreamModel) {
        return upstreamModel.startsWith("deepseek-reasoner") || upstreamModel.endsWith("/deepseek-reasoner");
    }

    @Override
    public void apply(JsonObject body) {
        if (body.getValue("reasoning_effort") instanceof String effort && !effort.equals("high") && !effort.equals("max")) {
            body.remove("reasoning_effort");
        }
        if (!(body.getValue("messages") instanceof JsonArray messages)) {
            return;
        }
        // Messages are shared with the client's body, which a fallback may still need as sent: copy, then change.
        JsonArray cleaned = null;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.getValue(i) instanceof JsonObject m && m.containsKey("reasoning_content")) {
                if (cleaned == null) {
                    cleaned = messages.copy();
                }
                cleaned.getJsonObject(i).remove("reasoning_content");
            }
        }
        if (cleaned != null) {
            body.put("messages", cleaned);
        }
    }
}
