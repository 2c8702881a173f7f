package dev.gearbox.routing;

import java.util.Map;

/**
 * One route of {@code routes.yaml} as written: a name, when it applies and what it does.
 *
 * @param name unique name, reported in {@code x-gearbox-route}
 * @param when conditions, all of which must hold; absent for a route that always applies
 * @param then the action
 * @param quality the route's own shadow sampling and text keeping; null for the gateway's
 */
record RouteSpec(String name, Map<String, Object> when, RouteAction then, RouteQuality quality) {
}
