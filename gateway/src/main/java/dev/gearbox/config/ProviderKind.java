package dev.gearbox.config;

/**
 * What the config knows of a provider family: its name in {@code type}, the checks of its own fields and
 * its defaults. Families register themselves (a line in
 * {@code META-INF/services/dev.gearbox.config.ProviderKind}); the config names none of them, so a new family
 * changes nothing here.
 */
public interface ProviderKind {

    /** The name a provider's {@code type} gives, such as {@code openai}. */
    String type();

    /**
     * Checks the family's own fields; throws {@link IllegalArgumentException} with a message that starts with
     * the field, as {@code region: missing (expected: an AWS region such as us-east-1)}.
     */
    void check(ProviderOptions options);

    /**
     * The base URL when the config gives none, from the family's own fields (Bedrock's region, say); null when
     * one must be given.
     */
    String defaultBaseUrl(ProviderOptions options);

    /** Whether the family calls a URL at all; the simulator does not. */
    default boolean callsUpstream() {
        return true;
    }
}
