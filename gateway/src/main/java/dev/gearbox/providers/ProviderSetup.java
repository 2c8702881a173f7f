package dev.gearbox.providers;

import dev.gearbox.config.ProviderConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/**
 * What a family is given to make one configured provider.
 *
 * @param name the provider's name in the config, as {@code x-gearbox-provider} reports it
 * @param config its config, checked by the family
 * @param vertx the gateway's Vert.x, for HTTP clients, timers and work off the event loop
 * @param clock wall-clock time, for dates in answers and for when a token expires
 */
public record ProviderSetup(String name, ProviderConfig config, Vertx vertx, Clock clock) {

    public ProviderSetup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(clock, "clock");
    }
}
