package dev.gearbox.providers.openai;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Translates a chat request for OpenAI's reasoning models (o1, o3, o3-mini, o4-mini, gpt-5).
 *
 * <p>These models reject {@code max_tokens} in favour of {@code max_completion_tokens}, because their
 * limit also covers hidden reasoning tokens, and answer 400 to any sampling parameter other than the
 * default. A router may send a request written for GPT-4o to o3, so the gateway rewrites it rather than
 * let it fail: the limit is renamed, and non-default sampling parameters are dropped.
 */
public final class OpenAiReasoningModelQuirk implements RequestQuirk {

    private static final Pattern MODELS = Pattern.compile("^(?:[\\w.-]+/)?(?:o\\d+|gpt-5)(?:[-.].*)?$");

    @Override
    public boolean appliesTo(String upstreamModel) {
        return MODELS.matcher(upstreamModel).matches();
    }

    @Override
    public void apply(JsonObject body) {
        Object maxTokens = body.remove("max_tokens");
        if (maxTokens != null && !body.containsKey("max_completion_tokens")) {
            body.put("max_completion_tokens", maxTokens);
        }
        removeUnlessDefault(body, "temperature", 1.0);
        removeUnlessDefault(body, "top_p", 1.0);
        removeUnlessDefault(body, "presence_penalty", 0.0);
        removeUnlessDefault(body, "frequency_penalty", 0.0);
        body.remove("logit_bias");
    }

    private static void removeUnlessDefault(JsonObject body, String field, double defaultValue) {
        Object value = body.getValue(field);
        if (value instanceof Number n && n.doubleValue() == defaultValue) {
            return;
        }
        body.remove(field);
    }
}
