package dev.gearbox.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole gateway configuration: server, providers, models and aliases.
 *
 * @param server HTTP server settings
 * @param providers providers by name
 * @param models the models clients may name
 * @param aliases extra names for models, such as {@code auto}, {@code cheap} and {@code reasoning}
 * @param defaultEmbeddingModel the model {@code /v1/embeddings} uses when a request names none
 */
public record GearboxConfig(
        ServerConfig server, Map<String, ProviderConfig> providers, List<ModelConfig> models,
        Map<String, String> aliases, String defaultEmbeddingModel) {

    public GearboxConfig {
        server = server == null ? ServerConfig.defaults() : server;
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        aliases = aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        if (models.isEmpty()) {
            throw new IllegalArgumentException("models: empty (expected: at least one model)");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelConfig m = models.get(i);
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("models[" + i + "].id: '" + m.id() + "' is listed twice (expected: unique ids)");
            }
            if (!providers.containsKey(m.provider())) {
                throw new IllegalArgumentException("models[" + i + "].provider: '" + m.provider()
                        + "' (expected: one of " + providers.keySet().stream().sorted().toList() + ")");
            }
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (ids.contains(alias.getKey())) {
                throw new IllegalArgumentException("aliases." + alias.getKey() + ": the alias is also a model id (expected: a distinct name)");
            }
            if (!ids.contains(alias.getValue())) {
                throw new IllegalArgumentException("aliases." + alias.getKey() + ": '" + alias.getValue()
                        + "' (expected: the id of a model in models)");
            }
        }
        if (defaultEmbeddingModel != null) {
            String target = aliases.getOrDefault(defaultEmbeddingModel, defaultEmbeddingModel);
            ModelConfig m = models.stream().filter(x -> x.id().equals(target)).findFirst().orElse(null);
            if (m == null || m.kind() != ModelKind.EMBEDDINGS) {
                throw new IllegalArgumentException("default_embedding_model: '" + defaultEmbeddingModel
                        + "' (expected: the id of a model of kind embeddings)");
            }
        }
    }

    /** This config with another server port. */
    public GearboxConfig withPort(int port) {
        return new GearboxConfig(server.withPort(port), providers, models, aliases, defaultEmbeddingModel);
    }
}
