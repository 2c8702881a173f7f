package dev.gearbox.config;

import java.util.Map;

/**
 * Resilience settings: defaults for every model deployment and overrides by model id.
 *
 * @param defaults settings for every deployment, over the built-in defaults
 * @param models overrides by model id
 */
public record ResilienceConfig(ResiliencePolicy defaults, Map<String, ResiliencePolicy> models) {

    public ResilienceConfig {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    public static ResilienceConfig none() {
        return new ResilienceConfig(null, null);
    }

    /** The policy in force for a model: built-in defaults, then config defaults, then the model's override. */
    public ResiliencePolicy policyFor(String modelId) {
        return ResiliencePolicy.DEFAULTS.with(defaults).with(models.get(modelId));
    }
}
