package dev.gearbox.http;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.ApiException;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RoutingRules;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models a client may name (those
 * whose provider is configured) and the aliases that let the gateway choose.
 */
public final class ModelsHandler {

    private final RoutingRules rules;
    private final long created;

    /** @param created the {@code created} time reported for every model, in epoch seconds */
    public ModelsHandler(RoutingRules rules, long created) {
        this.rules = rules;
        this.created = created;
    }

    public void list(RoutingContext rc) {
        Catalog catalog = rules.current().catalog();
        JsonArray data = new JsonArray();
        for (ModelConfig model : catalog.models()) {
            if (catalog.available(model)) {
                data.add(model(model.id(), model.provider()));
            }
        }
        for (String alias : catalog.routeAliases()) {
            data.add(model(alias, "gearbox"));
        }
        for (String alias : catalog.staticAliases().keySet()) {
            data.add(model(alias, "gearbox"));
        }
        send(rc, new JsonObject().put("object", "list").put("data", data));
    }

    public void get(RoutingContext rc) {
        String id = rc.pathParam("id");
        Catalog catalog = rules.current().catalog();
        if (catalog.routeAliases().contains(id) || catalog.staticAliases().containsKey(id)) {
            send(rc, model(id, "gearbox"));
            return;
        }
        ModelConfig model = catalog.find(id).filter(catalog::available).orElseThrow(() -> ApiException.modelNotFound(id));
        send(rc, model(id, model.provider()));
    }

    private JsonObject model(String id, String ownedBy) {
        return new JsonObject().put("id", id).put("object", "model").put("created", created).put("owned_by", ownedBy);
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
