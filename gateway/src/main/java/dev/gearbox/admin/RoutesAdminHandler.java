package dev.gearbox.admin;

import dev.gearbox.admission.AdmissionStage;
import dev.gearbox.admission.ApiKeys;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.Stage;
import dev.gearbox.http.ExchangeHandler;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.Future;
import dev.gearbox.config.Capability;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.DifficultyWeights;
import dev.gearbox.routing.RouteAction;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.Rule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the routing admin endpoints: the rules in force ({@code GET /admin/routes}), why a request would
 * go where it goes ({@code POST /admin/routes/explain}), and an immediate reload
 * ({@code POST /admin/routes/reload}).
 */
public final class RoutesAdminHandler {

    private final RoutingRules rules;
    private final Router router;
    private final Pipeline explainPipeline;

    /** The header that carries the key of the caller a request is explained for. */
    public static final String EXPLAIN_KEY_HEADER = "x-gearbox-api-key";
    /** The header that names, without its secret, the key id or tenant a request is explained as. */
    public static final String EXPLAIN_AS_HEADER = "x-gearbox-explain-as";
    /** The name {@link #EXPLAIN_AS_HEADER} gives a caller without a key. */
    private static final String ANONYMOUS = "anonymous";

    private final ApiKeys keys;

    /**
     * @param keys the keys and tenants {@code x-gearbox-explain-as} may name
     * @param admission the explain copy of the admission stage real requests go through
     *     ({@link AdmissionStage#withCredentialHeader})
     * @param routing the routing stage real requests go through
     */
    public RoutesAdminHandler(RoutingRules rules, Router router, ApiKeys keys, AdmissionStage admission, Stage routing) {
        this.rules = rules;
        this.router = router;
        this.keys = keys;
        this.explainPipeline = Pipeline.until(exchange -> Future.succeededFuture(null), admission, routing);
    }

    public void show(RoutingContext rc) {
        send(rc, describe(rules.current()));
    }

    /**
     * Explains a chat request body without calling any provider: the request goes through the same
     * admission and routing stages a real one does (the caller's key in {@code x-gearbox-api-key}, as it
     * would be in {@code Authorization}), and stops there.
     */
    public void explain(RoutingContext rc) {
        Exchange exchange = Exchange.begin(ExchangeHandler.exchange(rc).requestId(), "POST", "/v1/chat/completions",
                rc.request().headers(), ExchangeHandler.exchange(rc).startNanos(), ExchangeListener.NONE);
        String as = rc.request().getHeader(EXPLAIN_AS_HEADER);
        if (as != null) {
            if (rc.request().getHeader(EXPLAIN_KEY_HEADER) != null) {
                throw ApiException.invalidRequest(null, "Send " + EXPLAIN_KEY_HEADER + " or " + EXPLAIN_AS_HEADER + ", not both.");
            }
            if (!as.equals(ANONYMOUS) && !keys.explainable(as)) {
                throw ApiException.invalidRequest(null, EXPLAIN_AS_HEADER + ": '" + as
                        + "' (expected: a key id, a tenant, or anonymous)");
            }
            exchange.attribute(AdmissionStage.EXPLAIN_AS, as.equals(ANONYMOUS) ? null : as);
        }
        exchange.credential(rc.request().getHeader(EXPLAIN_KEY_HEADER));
        exchange.request(ChatRequest.parse(rc.body().buffer()));
        explainPipeline.apply(exchange).onComplete(ar -> {
            if (exchange.features() == null && ar.cause() instanceof ApiException refused) {
                // Refused before routing (no key, a wrong one, a model the key may not use, a budget header): the
                // answer to the operator's question, with the status the real request would get.
                send(rc, new JsonObject().put("rules_version", rules.current().version()).put("tenant", exchange.tenant())
                        .put("refused", new JsonObject().put("status", refused.status()).put("type", refused.type())
                                .put("code", refused.code()).put("param", refused.param()).put("message", refused.getMessage())));
                return;
            }
            if (exchange.features() == null) {
                rc.fail(ar.cause());
                return;
            }
            JsonObject explained = router.explain(rules.current(), exchange.features(), exchange.budget());
            send(rc, explained.put("tenant", exchange.tenant()));
        });
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
                .put("difficulty_weights", weights(table.weights()))
                .put("routes", routes)
                .put("models", models);
    }

    private static JsonObject weights(DifficultyWeights w) {
        return new JsonObject().put("source", w.source()).put("version", w.version())
                .put("experts", new JsonArray(w.model().expertGroups())).put("trained", w.model().description());
    }

    private static JsonObject action(RouteAction a) {
        return new JsonObject().put("tier", a.tier()).put("models", a.models().isEmpty() ? null : new JsonArray(a.models()))
                .put("strategy", a.strategy().wireName())
                .put("fallbacks", a.fallbacks().isEmpty() ? null : new JsonArray(a.fallbacks()))
                .put("fallback_max_cost_ratio", a.fallbackMaxCostRatio())
                .put("timeout_ms", a.timeoutMs()).put("max_cost_usd", a.maxCostUsd())
                .put("latency_budget_ms", a.latencyBudgetMs()).put("on_over_budget", a.onOverBudget().wireName())
                .put("cache", a.cache().wireName());
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
