package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models clients may name, the aliases that let the gateway choose, and which models can be served
 * because their provider is configured. Immutable.
 */
public final class Catalog {

    private final Map<String, ModelConfig> models;
    private final Set<String> configuredProviders;
    private final Map<String, String> staticAliases;
    private final Set<String> routeAliases;
    private final String defaultEmbeddingModel;
    private final Map<String, List<ModelConfig>> availableByTier;
    private final Optional<ModelConfig> flagshipReasoning;
    private final Set<String> tiers;

    Catalog(Map<String, ModelConfig> models, Set<String> configuredProviders, Map<String, String> staticAliases,
            Set<String> routeAliases, String defaultEmbeddingModel) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.configuredProviders = Set.copyOf(configuredProviders);
        this.staticAliases = Map.copyOf(staticAliases);
        this.routeAliases = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(routeAliases));
        this.defaultEmbeddingModel = defaultEmbeddingModel;
        Map<String, List<ModelConfig>> byTier = new LinkedHashMap<>();
        for (ModelConfig m : this.models.values()) {
            if (m.tier() != null && m.kind() == ModelKind.CHAT && available(m)) {
                byTier.computeIfAbsent(m.tier(), t -> new ArrayList<>()).add(m);
            }
        }
        byTier.replaceAll((t, list) -> List.copyOf(list));
        this.availableByTier = Map.copyOf(byTier);
        this.flagshipReasoning = flagship();
        Set<String> declared = new java.util.LinkedHashSet<>();
        this.models.values().forEach(m -> {
            if (m.tier() != null) {
                declared.add(m.tier());
            }
        });
        this.tiers = Collections.unmodifiableSet(declared);
    }

    /**
     * The reasoning-tier chat model with the highest output price among those that can be served, else
     * among the whole catalog: the default baseline for savings. Worked out once per catalog.
     */
    /**
     * The model savings are counted against: the one named, else the {@linkplain #flagshipReasoning
     * flagship reasoning model}.
     */
    public Optional<ModelConfig> baseline(String named) {
        return named != null ? model(named) : flagshipReasoning;
    }

    public Optional<ModelConfig> flagshipReasoning() {
        return flagshipReasoning;
    }

    private Optional<ModelConfig> flagship() {
        java.util.Comparator<ModelConfig> byPrice = java.util.Comparator.comparingDouble((ModelConfig m) -> m.price().output())
                .thenComparingDouble(m -> m.price().input());
        Optional<ModelConfig> served = models.values().stream()
                .filter(m -> m.kind() == ModelKind.CHAT && "reasoning".equals(m.tier()) && available(m)).max(byPrice);
        return served.isPresent() ? served : models.values().stream()
                .filter(m -> m.kind() == ModelKind.CHAT && "reasoning".equals(m.tier())).max(byPrice);
    }

    public Optional<ModelConfig> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public Collection<ModelConfig> models() {
        return models.values();
    }

    /** Whether the model's provider is configured, so requests can be sent to it. */
    public boolean available(ModelConfig model) {
        return configuredProviders.contains(model.provider());
    }

    /** The available chat models of a tier, in catalog order. */
    public List<ModelConfig> tier(String tier) {
        return availableByTier.getOrDefault(tier, List.of());
    }

    /** Every tier some model declares, available or not. */
    public Set<String> tiers() {
        return tiers;
    }

    /** The model a fixed alias from the gateway config stands for, or the name itself. */
    public String resolveStaticAlias(String name) {
        return staticAliases.getOrDefault(name, name);
    }

    public Map<String, String> staticAliases() {
        return staticAliases;
    }

    /** Names that let the routing rules choose, such as {@code auto}. */
    public Set<String> routeAliases() {
        return routeAliases;
    }

    public Optional<String> defaultEmbeddingModel() {
        return Optional.ofNullable(defaultEmbeddingModel);
    }

    public Set<String> configuredProviders() {
        return configuredProviders;
    }
}
