package dev.gearbox.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {@code ${VAR}} and {@code ${VAR:-default}} references from an environment map. */
final class EnvExpander {

    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern WHOLE_REFERENCE = Pattern.compile("\\s*" + REFERENCE.pattern() + "\\s*");

    private final Map<String, String> env;

    EnvExpander(Map<String, String> env) {
        this.env = env;
    }

    String expand(String text) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(lookup(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether {@code text} is exactly one reference, as a secret is written. */
    static boolean isReference(String text) {
        return WHOLE_REFERENCE.matcher(text).matches();
    }

    /** Resolves a value that must be exactly one reference, as secrets are. */
    Secret secret(String text) {
        Matcher m = WHOLE_REFERENCE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "a secret written in the file (expected: a ${ENV_VAR} reference, so keys stay out of config files)");
        }
        return new Secret(m.group(1), lookup(m.group(1), m.group(2)));
    }

    private String lookup(String name, String fallback) {
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new IllegalArgumentException("environment variable " + name + " is not set (expected: set, or a ${"
                + name + ":-default})");
    }
}
