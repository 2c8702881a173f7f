package dev.gearbox.routing;

/**
 * A compiled route.
 *
 * @param name the route's name
 * @param when its condition; null for a route that always applies
 * @param then its action
 * @param line the line of {@code routes.yaml} where it starts
 * @param quality its own quality settings; null for the gateway's
 */
public record Rule(String name, Condition when, RouteAction then, int line, RouteQuality quality) {

    /** Whether the route applies to every request. */
    public boolean always() {
        return when == null;
    }

    /** Whether the route may apply to a request for a concrete model, not only to aliases. */
    public boolean mentionsModel() {
        return when != null && when.mentionsModel();
    }
}
