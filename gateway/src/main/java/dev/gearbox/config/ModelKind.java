package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** What a model serves: chat completions or embeddings. */
public enum ModelKind {
    CHAT,
    EMBEDDINGS,
    /** A moderation model, for {@code /v1/moderations}. */
    MODERATION;

    @JsonCreator
    public static ModelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind: '" + text + "' (expected: chat, embeddings or moderation)");
        }
    }
}
