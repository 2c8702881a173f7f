package dev.gearbox.providers;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ModelConfig;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The models and aliases clients may name, each bound to the provider that serves it.
 *
 * <p>Immutable; built once per event loop because providers hold that loop's HTTP client.
 */
public final class ModelCatalog {

    private final Map<String, ModelTarget> byId;
    private final Map<String, String> aliases;
    private final String defaultEmbeddingModel;

    private ModelCatalog(Map<String, ModelTarget> byId, Map<String, String> aliases, String defaultEmbeddingModel) {
        this.byId = byId;
        this.aliases = aliases;
        this.defaultEmbeddingModel = defaultEmbeddingModel;
    }

    /** Builds the catalog of a config, looking providers up by name. */
    public static ModelCatalog of(GearboxConfig config, Function<String, Provider> providers) {
        Map<String, ModelTarget> byId = new LinkedHashMap<>();
        for (ModelConfig model : config.models()) {
            byId.put(model.id(), new ModelTarget(model, model.provider(), providers.apply(model.provider())));
        }
        return new ModelCatalog(java.util.Collections.unmodifiableMap(byId), config.aliases(), config.defaultEmbeddingModel());
    }

    /** The model a name stands for: a model id, or an alias of one. */
    public Optional<ModelTarget> resolve(String name) {
        ModelTarget direct = byId.get(name);
        if (direct != null) {
            return Optional.of(direct);
        }
        String target = aliases.get(name);
        return target == null ? Optional.empty() : Optional.ofNullable(byId.get(target));
    }

    /** The model {@code /v1/embeddings} uses when a request names none. */
    public Optional<String> defaultEmbeddingModel() {
        return Optional.ofNullable(defaultEmbeddingModel);
    }

    public Collection<ModelTarget> models() {
        return byId.values();
    }

    /** Aliases and the model id each stands for, in config order. */
    public Map<String, String> aliases() {
        return aliases;
    }
}
