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
    private final String version;
    private final String source;
    private final Instant loadedAt;

    /**
     * @param catalog the models and aliases
     * @param rules the routes, in order
     * @param version a hash of the rule files
     * @param source where the rules came from
     * @param loadedAt when this version was loaded
     */
    public RoutingTable(Catalog catalog, List<Rule> rules, String version, String source, Instant loadedAt) {
        this.catalog = catalog;
        this.rules = List.copyOf(rules);
        this.index = RuleIndex.of(this.rules);
        this.version = version;
        this.source = source;
        this.loadedAt = loadedAt;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The routes, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** A hash of the rule files. */
    public String version() {
        return version;
    }

    /** Where the rules came from. */
    public String source() {
        return source;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    RuleIndex index() {
        return index;
    }
}
