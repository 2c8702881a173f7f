package dev.gearbox.routing;

import java.util.Map;

/**
 * One route of {@code routes.yaml} as written: a name, when it applies and what it does.
 *
 * @param name unique name, reported in {@code x-gearbox-route}
 * @param when conditions, all of which must hold; absent for a route that always applies
 * @param then the action
 */
record RouteSpec(String name, Map<String, Object> when, RouteAction then) {
}
