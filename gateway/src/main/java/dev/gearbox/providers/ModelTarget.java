package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import java.util.Objects;

/**
 * A model together with the provider that serves it.
 *
 * @param model the model
 * @param providerName the provider's name from the config, reported in {@code x-gearbox-provider}
 * @param provider the provider itself
 */
public record ModelTarget(ModelConfig model, String providerName, Provider provider) {

    public ModelTarget {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(providerName, "providerName");
        Objects.requireNonNull(provider, "provider");
    }
}
