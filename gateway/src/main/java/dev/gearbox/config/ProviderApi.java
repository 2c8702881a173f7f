package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An OpenAI API a provider serves, as named in its {@code apis} list. */
public enum ProviderApi {
    /** {@code /chat/completions} (and {@code /embeddings}): every provider's. */
    CHAT_COMPLETIONS,
    /** {@code /responses}: OpenAI's Responses API. */
    RESPONSES,
    /** {@code /completions}: OpenAI's legacy text completions. */
    COMPLETIONS;

    @JsonCreator
    public static ProviderApi parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("apis: '" + text + "' (expected: chat_completions, responses or completions)");
        }
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
