package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
    private final Optional<String> defaultModerationModel;
    private final Map<String, List<ModelConfig>> availableByTier;
    private final Optional<ModelConfig> flagshipReasoning;
    /** Models by their upstream name, where that is no other model's id. */
    private final Map<String, ModelConfig> byUpstream;
    /** Models of dated ids or upstream names by the undated name, where no model has that id; the newest wins. */
    private final Map<String, ModelConfig> byUndated;
    private final Set<String> tiers;

    Catalog(Map<String, ModelConfig> models, Set<String> configuredProviders, Map<String, String> staticAliases,
            Set<String> routeAliases, String defaultEmbeddingModel, String defaultModerationModel) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.configuredProviders = Set.copyOf(configuredProviders);
        this.staticAliases = Map.copyOf(staticAliases);
        this.routeAliases = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(routeAliases));
        this.defaultEmbeddingModel = defaultEmbeddingModel;
        this.defaultModerationModel = defaultModerationModel != null ? Optional.of(defaultModerationModel)
                : this.models.values().stream().filter(m -> m.kind() == ModelKind.MODERATION && available(m))
                        .map(ModelConfig::id).findFirst();
        Map<String, List<ModelConfig>> byTier = new LinkedHashMap<>();
        for (ModelConfig m : this.models.values()) {
            if (m.tier() != null && m.kind() == ModelKind.CHAT && available(m)) {
                byTier.computeIfAbsent(m.tier(), t -> new ArrayList<>()).add(m);
            }
        }
        byTier.replaceAll((t, list) -> List.copyOf(list));
        this.availableByTier = Map.copyOf(byTier);
        this.flagshipReasoning = flagship();
        Map<String, ModelConfig> upstream = new HashMap<>();
        Map<String, ModelConfig> undated = new HashMap<>();
        for (ModelConfig m : this.models.values()) {
            if (!this.models.containsKey(m.upstream())) {
                upstream.putIfAbsent(m.upstream(), m);
            }
            for (String name : List.of(m.id(), m.upstream())) {
                String family = ModelNames.undated(name);
                if (!family.equals(name) && !this.models.containsKey(family)) {
                    undated.merge(family, m, (a, b) -> newest(a).compareTo(newest(b)) >= 0 ? a : b);
                }
            }
        }
        this.byUpstream = Map.copyOf(upstream);
        this.byUndated = Map.copyOf(undated);
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

    /** The catalog entry of this id, exactly; routes and the config name models so. */
    public Optional<ModelConfig> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /**
     * The model a client's name stands for: a fixed alias, an id, a model's upstream name, or a dated name of
     * a model or alias ({@code claude-sonnet-4-20250514}, {@code gpt-4o-2024-08-06}). A snapshot the catalog does
     * not list is served by its undated entry, at its price and with its capabilities, and sent upstream as the
     * client pinned it, unless the entry's upstream name is another model's (a deployment's own name). An
     * undated name finds the newest dated entry when the catalog lists only dated ones. Of several readings
     * the first a configured provider serves wins, so a deployment's alias for the undated name outranks a
     * catalog entry it cannot serve.
     */
    public Optional<ModelConfig> find(String asked) {
        String name = resolveStaticAlias(asked);
        ModelConfig exact = models.get(name);
        if (exact != null && available(exact)) {
            return Optional.of(exact);
        }
        ModelConfig upstream = byUpstream.get(name);
        if (upstream != null && available(upstream)) {
            return Optional.of(upstream);
        }
        ModelConfig newest = byUndated.get(name);
        if (newest != null && available(newest)) {
            return Optional.of(newest);
        }
        ModelConfig snapshot = snapshot(name);
        if (snapshot != null && available(snapshot)) {
            return Optional.of(snapshot);
        }
        return Optional.ofNullable(exact != null ? exact : upstream != null ? upstream : newest != null ? newest : snapshot);
    }

    /** The entry of a dated name's undated form, sent upstream under the dated name when it is the same model's. */
    private ModelConfig snapshot(String name) {
        // Every dated name ends in a digit or -latest; aliases such as auto never reach the pattern.
        if (name.isEmpty() || !Character.isDigit(name.charAt(name.length() - 1)) && !name.endsWith("-latest")) {
            return null;
        }
        String undated = ModelNames.undated(name);
        if (undated.equals(name)) {
            return null;
        }
        String family = resolveStaticAlias(undated);
        ModelConfig entry = models.containsKey(family) ? models.get(family) : byUndated.get(family);
        if (entry == null) {
            return null;
        }
        return ModelNames.undated(entry.upstream()).equals(undated) ? entry.withUpstream(name) : entry;
    }

    /**
     * {@link #find} for a model that must be served here.
     *
     * @throws RoutingException {@code UNKNOWN_MODEL}, saying whether the catalog lacks it or its provider is not configured
     */
    public ModelConfig servable(String asked) {
        ModelConfig model = find(asked).orElseThrow(() -> new RoutingException(RoutingException.Kind.UNKNOWN_MODEL, asked,
                "The model '" + asked + "' does not exist or you do not have access to it."));
        if (!available(model)) {
            throw notConfigured(asked, model);
        }
        return model;
    }

    private static String newest(ModelConfig m) {
        String id = ModelNames.date(m.id());
        String upstream = ModelNames.date(m.upstream());
        return id.compareTo(upstream) >= 0 ? id : upstream;
    }

    /** The refusal of a model the catalog has but no configured provider serves. */
    static RoutingException notConfigured(String asked, ModelConfig model) {
        return new RoutingException(RoutingException.Kind.UNKNOWN_MODEL, asked, "The model '" + asked
                + "' is in the catalog, but its provider '" + model.provider() + "' is not configured.");
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

    /**
     * The model {@code /v1/moderations} uses when a request names none, as OpenAI's API defaults to
     * {@code omni-moderation-latest}: the config's {@code default_moderation_model}, else the first moderation
     * model of the catalog whose provider is configured.
     */
    public Optional<String> defaultModerationModel() {
        return defaultModerationModel;
    }

    public Set<String> configuredProviders() {
        return configuredProviders;
    }
}
