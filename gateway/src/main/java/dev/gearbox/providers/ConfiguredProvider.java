package dev.gearbox.providers;

/** One configured provider, made once per gateway; each event loop gets its own {@link Provider} of it. */
public interface ConfiguredProvider {

    /**
     * The provider for the event loop this is called on (each holds its own HTTP client, so a request never
     * leaves its loop).
     */
    Provider onLoop();

    /** Stops what the provider runs in the background; the default has nothing to stop. */
    default void close() {
    }
}
