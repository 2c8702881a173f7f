package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import java.util.Map;

/**
 * The providers of one event loop, by name, and the binding of catalog models to them.
 *
 * <p>Providers hold their event loop's HTTP client, so each loop has its own; the catalog they serve is
 * shared and may be reloaded.
 */
public final class Providers {

    private final Map<String, Provider> byName;

    public Providers(Map<String, Provider> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** The model with the provider that serves it; the model's provider must be configured. */
    public ModelTarget target(ModelConfig model) {
        Provider provider = byName.get(model.provider());
        if (provider == null) {
            throw new IllegalStateException("provider '" + model.provider() + "' of model '" + model.id() + "' is not configured");
        }
        return new ModelTarget(model, model.provider(), provider);
    }
}
