package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of provider the gateway can talk to. */
public enum ProviderType {
    /** Any endpoint that speaks OpenAI's chat completions API. */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC,
    /** Built-in models that answer locally, for the embedded default, tests and benchmarks. */
    SIMULATED;

    @JsonCreator
    public static ProviderType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type: '" + text + "' (expected: one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")) + ")");
        }
    }
}
