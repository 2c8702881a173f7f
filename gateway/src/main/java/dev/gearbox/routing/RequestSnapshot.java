package dev.gearbox.routing;

import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the routing rules could see of one request, kept after the request is gone so that an edit of the
 * rules can be replayed on recent traffic ({@link #features}). Never a secret: the key's name, not the key,
 * and no headers. The text is kept only when the operator asked for it.
 *
 * @param model the model or alias the client named, or null
 * @param tenant the tenant of the caller's key
 * @param apiKey the name of the caller's key, or null
 * @param user the body's {@code user}, or null
 * @param metadata the body's metadata values as text
 * @param maxTokens the completion limit the client set, or null
 * @param reasoningEffort the effort the client asked for, or null
 * @param tools whether the request carried tools
 * @param responseFormat whether it asked for JSON
 * @param images the images in its messages
 * @param messages how many messages it had
 * @param promptTokens its prompt tokens: counted when routing counted them, else the estimate routing used
 * @param promptTokensCounted whether {@code promptTokens} is the tokenizer's count
 * @param difficulty its reasoning-need score when a route asked for it, else NaN
 * @param lastUserMessage the head of its last user message, or null when no text was kept
 * @param systemPrompt the head of its system prompt, or null when no text was kept
 */
public record RequestSnapshot(String model, String tenant, String apiKey, String user, Map<String, String> metadata,
                              boolean stream, Integer maxTokens, String reasoningEffort, boolean tools,
                              boolean responseFormat, int images, int messages, int promptTokens,
                              boolean promptTokensCounted, double difficulty, String lastUserMessage, String systemPrompt) {

    /** OpenAI's own bounds on metadata: 16 pairs, values of at most 512 characters. */
    static final int MAX_METADATA = 16;
    static final int MAX_METADATA_CHARS = 512;

    public RequestSnapshot {
        // Most requests carry no metadata: no copy made for them on the request path.
        metadata = metadata == null || metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (images < 0 || messages < 0 || promptTokens < 0) {
            throw new IllegalArgumentException("images, messages, promptTokens: " + images + ", " + messages + ", "
                    + promptTokens + " (expected: >= 0)");
        }
        if (!Double.isNaN(difficulty) && (difficulty < 0 || difficulty > 1)) {
            throw new IllegalArgumentException("difficulty: " + difficulty + " (expected: NaN or 0..1)");
        }
        if ((lastUserMessage == null) != (systemPrompt == null)) {
            throw new IllegalArgumentException("lastUserMessage and systemPrompt: both kept or neither");
        }
    }

    /**
     * What the rules saw of a routed request. Reads only what routing has already worked out, or what costs a
     * field read: no tokenizer and no score is run for it.
     *
     * @param textChars how many characters of the last user message and system prompt to keep; 0 keeps no text
     */
    public static RequestSnapshot of(RequestFeatures features, int textChars) {
        int counted = features.promptTokensIfCounted();
        return new RequestSnapshot(features.model(), features.tenant(), features.apiKey(), features.user(),
                metadata(features.body().value("metadata")), features.stream(), features.maxTokens(), features.reasoningEffort(),
                features.hasTools(), features.hasResponseFormat(), features.images(), features.messageCount(),
                counted >= 0 ? counted : features.approxPromptTokens(), counted >= 0, features.difficultyIfScored(),
                textChars > 0 ? head(features.lastUserMessage(), textChars) : null,
                textChars > 0 ? head(features.systemPrompt(), textChars) : null);
    }

    /** Whether the text was kept. */
    public boolean hasText() {
        return lastUserMessage != null;
    }

    /**
     * Features the rules can route as they routed the request. A rule that reads withheld text or a header
     * makes {@link RequestFeatures#readWithheld()} true.
     */
    public RequestFeatures features(TokenCounter tokens) {
        JsonObject body = new JsonObject().put("model", model).put("user", user).put("stream", stream)
                .put("max_completion_tokens", maxTokens).put("reasoning_effort", reasoningEffort);
        if (!metadata.isEmpty()) {
            body.put("metadata", new JsonObject(new LinkedHashMap<>(metadata)));
        }
        if (tools) {
            body.put("tools", new JsonArray().add(new JsonObject()));
        }
        if (responseFormat) {
            body.put("response_format", new JsonObject().put("type", "json_object"));
        }
        JsonArray empty = new JsonArray();
        for (int i = 0; i < messages; i++) {
            empty.add(new JsonObject());
        }
        body.put("messages", empty);
        return RequestFeatures.replayed(body, tenant, apiKey, tokens, promptTokens, images, difficulty, lastUserMessage,
                systemPrompt);
    }

    private static Map<String, String> metadata(Object value) {
        if (!(value instanceof JsonObject m) || m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m) {
            if (out.size() == MAX_METADATA) {
                break;
            }
            if (e.getValue() != null) {
                out.put(e.getKey(), head(String.valueOf(e.getValue()), MAX_METADATA_CHARS));
            }
        }
        return out;
    }

    private static String head(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars);
    }
}
