package dev.gearbox.routing;

import java.time.Instant;
import java.util.List;

/**
 * One validated version of the routing rules: the catalog, the compiled routes and their index.
 * Immutable, shared by every event loop; a request keeps the table it started with even if a reload
 * replaces it.
 */
public final class RoutingTable {

    private final Catalog catalog;
    private final List<Rule> rules;
    private final RuleIndex index;
    private final java.util.Map<String, Rule> byName = new java.util.HashMap<>();
    private final DifficultyWeights weights;
    private final String version;
    private final RulesText text;
    private final Instant loadedAt;

    /**
     * @param catalog the models and aliases
     * @param rules the routes, in order
     * @param weights the difficulty score's weights these rules route with
     * @param version a hash of the rule files
     * @param text the rule files this table was compiled from, without the weights' text
     * @param loadedAt when this version was loaded
     */
    public RoutingTable(Catalog catalog, List<Rule> rules, DifficultyWeights weights, String version, RulesText text,
                        Instant loadedAt) {
        this.catalog = catalog;
        this.rules = List.copyOf(rules);
        this.weights = weights;
        this.index = RuleIndex.of(this.rules);
        this.rules.forEach(r -> byName.putIfAbsent(r.name(), r));
        this.version = version;
        this.text = text;
        this.loadedAt = loadedAt;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The routes, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The route of that name, or null (a request routed direct, or by rules since replaced). */
    public Rule rule(String name) {
        return name == null ? null : byName.get(name);
    }

    /** The difficulty score's weights: the jar's, or the operator's beside the rule files. */
    public DifficultyWeights weights() {
        return weights;
    }

    /** A hash of the rule files. */
    public String version() {
        return version;
    }

    /** Where the rules came from. */
    public String source() {
        return text.origin();
    }

    /** The text of the rule files, without the weights' (see {@link #weights()}), as an edit starts from it. */
    public RulesText text() {
        return text;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    RuleIndex index() {
        return index;
    }
}
