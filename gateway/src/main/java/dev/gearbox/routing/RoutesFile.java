package dev.gearbox.routing;

import java.util.List;

/**
 * The contents of {@code routes.yaml}.
 *
 * @param aliases names clients may use to let the gateway choose, such as {@code auto}
 * @param routes ordered routes; the first that applies wins, and the last must always apply
 */
record RoutesFile(List<String> aliases, List<RouteSpec> routes) {
}
