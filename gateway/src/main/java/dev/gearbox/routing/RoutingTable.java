package dev.gearbox.routing;

import java.time.Instant;
import java.util.List;

/**
 * One validated version of the routing rules: the catalog and the compiled routes. Immutable, shared by
 * every event loop; a request keeps the table it started with even if a reload replaces it.
 *
 * @param catalog the models and aliases
 * @param rules the routes, in order
 * @param version a hash of the rule files
 * @param source where the rules came from
 * @param loadedAt when this version was loaded
 */
public record RoutingTable(Catalog catalog, List<Rule> rules, String version, String source, Instant loadedAt) {

    public RoutingTable {
        rules = List.copyOf(rules);
    }
}
