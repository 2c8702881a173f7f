package dev.gearbox.providers.openai;

import java.util.Locale;

/** An OpenAI API an {@code openai} provider serves, as named in its {@code apis} list. */
enum ServedApi {
    /** {@code /chat/completions} (and {@code /embeddings}, {@code /moderations}): every provider's. */
    CHAT_COMPLETIONS,
    /** {@code /responses}: OpenAI's Responses API. */
    RESPONSES,
    /** {@code /completions}: OpenAI's legacy text completions. */
    COMPLETIONS;

    static ServedApi parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("apis: '" + text + "' (expected: chat_completions, responses or completions)");
        }
    }
}
