package dev.gearbox.config;

/**
 * The operator's console at {@code /console}: it answers where the admin API answers, behind the same token.
 *
 * @param enabled whether the gateway serves the console
 * @param sampleSize how many recent requests the what-if page can replay (what the rules saw of each, kept in
 *                   memory); 0 keeps none
 * @param samplePrompts whether those requests keep the head of their prompt text, so that rules testing text
 *                      can be replayed on them; off, no prompt text is kept
 */
public record ConsoleConfig(Boolean enabled, Integer sampleSize, Boolean samplePrompts) {

    public static final int DEFAULT_SAMPLE_SIZE = 1000;
    /** Bounds the memory the sample takes: a few hundred bytes a request without text, about 8 KiB with. */
    public static final int MAX_SAMPLE_SIZE = 100_000;

    public ConsoleConfig {
        enabled = enabled == null || enabled;
        sampleSize = sampleSize == null ? DEFAULT_SAMPLE_SIZE : sampleSize;
        if (sampleSize < 0 || sampleSize > MAX_SAMPLE_SIZE) {
            throw new IllegalArgumentException("sample_size: " + sampleSize + " (expected: 0.." + MAX_SAMPLE_SIZE + ")");
        }
        samplePrompts = samplePrompts != null && samplePrompts;
    }

    /** On, with the default sample and no prompt text. */
    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null, null);
    }
}
