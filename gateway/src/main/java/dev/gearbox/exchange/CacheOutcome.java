package dev.gearbox.exchange;

import java.util.Locale;

/** What the cache did for a request, as {@code x-gearbox-cache} and the cache meter show it. */
public enum CacheOutcome {
    HIT, MISS, BYPASS;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
