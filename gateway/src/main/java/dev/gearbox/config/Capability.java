package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a model can do beyond plain text, used to keep requests away from models that cannot serve them. */
public enum Capability {
    TOOLS,
    JSON_MODE,
    VISION,
    REASONING;

    @JsonCreator
    public static Capability parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("capabilities: '" + text + "' (expected: tools, json_mode, vision or reasoning)");
        }
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
