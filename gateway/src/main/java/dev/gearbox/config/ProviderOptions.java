package dev.gearbox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields of a provider that only its family knows ({@code region}, {@code api_version}, ...), read by
 * the family with the same messages as the rest of the config: {@code region: 5 (expected: text)}.
 */
public final class ProviderOptions {

    private static final ProviderOptions NONE = new ProviderOptions(Map.of());

    private final Map<String, ProviderOption> fields;

    private ProviderOptions(Map<String, ProviderOption> fields) {
        this.fields = fields;
    }

    public static ProviderOptions of(Map<String, ProviderOption> fields) {
        return fields == null || fields.isEmpty() ? NONE : new ProviderOptions(new TreeMap<>(fields));
    }

    /** Refuses any field not in {@code known}, naming what is allowed, as an unknown field anywhere else is. */
    public ProviderOptions allowOnly(String type, Set<String> known) {
        for (String field : fields.keySet()) {
            if (!known.contains(field)) {
                throw new IllegalArgumentException(field + ": unknown field for a " + type + " provider (expected one of: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** A text field, or null when absent; an {@code ${ENV}} reference reads as its value. */
    public String text(String field) {
        ProviderOption option = fields.get(field);
        if (option == null) {
            return null;
        }
        if (option.value() instanceof String s) {
            return s;
        }
        if (option.value() instanceof Secret secret) {
            return secret.value();
        }
        throw new IllegalArgumentException(field + ": " + option + " (expected: text)");
    }

    /** A text field that must be there. */
    public String required(String field, String expected) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": missing (expected: " + expected + ")");
        }
        return value;
    }

    /** A secret, or null when absent; a value written into the file is refused, as for {@code api_key}. */
    public Secret secret(String field) {
        ProviderOption option = fields.get(field);
        if (option == null) {
            return null;
        }
        if (option.value() instanceof Secret secret) {
            return secret;
        }
        throw new IllegalArgumentException(field
                + ": a secret written in the file (expected: a ${ENV_VAR} reference, so keys stay out of config files)");
    }

    /** A list of text, or null when absent. */
    public List<String> list(String field) {
        ProviderOption option = fields.get(field);
        if (option == null) {
            return null;
        }
        if (option.value() instanceof List<?> values) {
            List<String> out = new ArrayList<>(values.size());
            for (Object value : values) {
                if (!(value instanceof String s)) {
                    throw new IllegalArgumentException(field + ": " + option + " (expected: a list of text)");
                }
                out.add(s);
            }
            return out;
        }
        throw new IllegalArgumentException(field + ": " + option + " (expected: a list)");
    }

    /** Every secret among the fields, for what must never reach a client. */
    public List<Secret> secrets() {
        return fields.values().stream().filter(o -> o.value() instanceof Secret).map(o -> (Secret) o.value()).toList();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
