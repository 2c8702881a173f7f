package dev.gearbox.config;

import java.util.Objects;

/**
 * A secret value taken from an environment variable; the config file only ever names the variable.
 *
 * <p>{@link #toString()} never shows the value, so a secret can sit in a record that gets logged.
 */
public record Secret(String variable, String value) {

    public Secret {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "${" + variable + "}";
    }
}
