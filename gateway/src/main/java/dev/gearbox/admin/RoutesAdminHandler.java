package dev.gearbox.admin;

import dev.gearbox.api.ApiException;
import dev.gearbox.config.Capability;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteAction;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.Rule;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Serves the routing admin endpoints: the rules in force ({@code GET /admin/routes}), why a request would
 * go where it goes ({@code POST /admin/routes/explain}), and an immediate reload
 * ({@code POST /admin/routes/reload}).
 */
public final class RoutesAdminHandler {

    private final RoutingRules rules;
    private final Router router;
    private final TokenCounter tokens;
    private final Function<MultiMap, Budget> budgets;

    /** @param budgets reads a request's budget headers, as the chat endpoint does */
    public RoutesAdminHandler(RoutingRules rules, Router router, TokenCounter tokens, Function<MultiMap, Budget> budgets) {
        this.rules = rules;
        this.router = router;
        this.tokens = tokens;
        this.budgets = budgets;
    }

    public void show(RoutingContext rc) {
        send(rc, describe(rules.current()));
    }

    /** Explains a chat request body without calling any provider. */
    public void explain(RoutingContext rc) {
        JsonObject body;
        try {
            body = new JsonObject(rc.body().buffer());
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw ApiException.invalidRequest(null, "The body must be a chat completion request as JSON.");
        }
        String tenant = rc.request().getHeader("x-gearbox-tenant");
        RequestFeatures features = RequestFeatures.of(body, rc.request().headers(), tenant == null ? "anonymous" : tenant,
                rc.request().getHeader("x-gearbox-api-key-name"), tokens);
        send(rc, router.explain(rules.current(), features, budgets.apply(rc.request().headers())));
    }

    /** Checks the rules directory now rather than at the next interval. */
    public void reload(RoutingContext rc) {
        rc.vertx().executeBlocking(rules::reload, false).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                send(rc, describe(ar.result()));
            }
        });
    }

    private JsonObject describe(RoutingTable table) {
        RoutingRules.ReloadError error = rules.lastError();
        JsonArray routes = new JsonArray();
        for (Rule rule : table.rules()) {
            routes.add(new JsonObject().put("name", rule.name()).put("line", rule.line())
                    .put("when", rule.always() ? null : rule.when().describe()).put("then", action(rule.then())));
        }
        Catalog catalog = table.catalog();
        JsonArray models = new JsonArray();
        for (ModelConfig m : catalog.models()) {
            models.add(new JsonObject().put("id", m.id()).put("provider", m.provider()).put("upstream", m.upstream())
                    .put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT)).put("tier", m.tier())
                    .put("available", catalog.available(m))
                    .put("price", new JsonObject().put("input", m.price().input()).put("cached_input", m.price().cachedInput())
                            .put("output", m.price().output()).put("as_of", m.price().asOf()))
                    .put("context_window", m.contextWindow())
                    .put("capabilities", m.capabilities() == null ? null
                            : new JsonArray(m.capabilities().stream().map(Capability::wireName).sorted().toList())));
        }
        return new JsonObject()
                .put("version", table.version())
                .put("source", table.source())
                .put("loaded_at", table.loadedAt().toString())
                .put("reloadable", rules.reloadable())
                .put("last_error", error == null ? null : new JsonObject().put("message", error.message())
                        .put("version", error.version()).put("at", error.at().toString()))
                .put("aliases", new JsonArray(java.util.List.copyOf(catalog.routeAliases())))
                .put("routes", routes)
                .put("models", models);
    }

    private static JsonObject action(RouteAction a) {
        return new JsonObject().put("tier", a.tier()).put("models", a.models().isEmpty() ? null : new JsonArray(a.models()))
                .put("strategy", a.strategy().wireName())
                .put("fallbacks", a.fallbacks().isEmpty() ? null : new JsonArray(a.fallbacks()))
                .put("timeout_ms", a.timeoutMs()).put("max_cost_usd", a.maxCostUsd())
                .put("latency_budget_ms", a.latencyBudgetMs()).put("on_over_budget", a.onOverBudget().wireName())
                .put("cache", a.cache().wireName());
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
