package dev.gearbox.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Counts tokens the way OpenAI's current models do (the {@code o200k_base} encoding).
 *
 * <p>Thread-safe; the encoding's tables load once, on first use of {@link #shared()}.
 */
public final class TokenCounter {

    /** Tokens OpenAI adds around each message of a chat (role and separators). */
    static final int PER_MESSAGE = 3;
    /** Tokens that prime the assistant's reply. */
    static final int REPLY_PRIMING = 3;
    /** What one image costs at low detail; a fair middle for an estimate. */
    static final int PER_IMAGE = 85;

    private static final class Holder {
        static final TokenCounter INSTANCE = new TokenCounter(
                Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    }

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The process-wide counter. */
    public static TokenCounter shared() {
        return Holder.INSTANCE;
    }

    /** Tokens in a piece of text. */
    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** The first {@code maxTokens} tokens of a text, or the text itself when it is shorter. */
    public String truncate(String text, int maxTokens) {
        IntArrayList tokens = encoding.encodeOrdinary(text);
        if (tokens.size() <= maxTokens) {
            return text;
        }
        IntArrayList head = new IntArrayList(maxTokens);
        for (int i = 0; i < maxTokens; i++) {
            head.add(tokens.get(i));
        }
        return encoding.decode(head);
    }

    /** Prompt tokens of a chat request's messages, counted as OpenAI bills them. */
    public int countMessages(JsonArray messages) {
        int total = REPLY_PRIMING;
        for (Object item : messages) {
            if (!(item instanceof JsonObject message)) {
                continue;
            }
            total += PER_MESSAGE;
            total += count(message.getValue("role") instanceof String s ? s : null);
            total += count(message.getValue("name") instanceof String s ? s : null);
            total += countContent(message.getValue("content"));
            if (message.getValue("tool_calls") instanceof JsonArray calls) {
                total += count(calls.encode());
            }
        }
        return total;
    }

    private int countContent(Object content) {
        if (content instanceof String text) {
            return count(text);
        }
        if (!(content instanceof JsonArray parts)) {
            return 0;
        }
        int total = 0;
        for (Object part : parts) {
            if (part instanceof JsonObject p) {
                if ("text".equals(p.getValue("type")) && p.getValue("text") instanceof String text) {
                    total += count(text);
                } else if ("image_url".equals(p.getValue("type"))) {
                    total += PER_IMAGE;
                }
            }
        }
        return total;
    }
}
