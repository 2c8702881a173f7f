package dev.gearbox.config;

import java.util.List;

/**
 * One field of a provider that only its family knows, as the config file gave it: text (with its
 * {@code ${ENV}} references expanded), a secret (a value that was exactly one {@code ${ENV}} reference, so
 * the family can insist that keys come only that way), a number, a boolean or a list of text.
 *
 * @param value the value: a String, Secret, Number, Boolean or List of String
 */
public record ProviderOption(Object value) {

    public ProviderOption {
        if (!(value instanceof String || value instanceof Secret || value instanceof Number || value instanceof Boolean
                || value instanceof List<?>)) {
            throw new IllegalArgumentException("a mapping (expected: text, a number, true or false, or a list)");
        }
        value = value instanceof List<?> list ? List.copyOf(list) : value;
    }

    /** How the value reads in a message: never a secret's value. */
    @Override
    public String toString() {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
