package dev.gearbox.api;

import dev.gearbox.providers.ModelCatalog;
import dev.gearbox.providers.ModelTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models and aliases a client may name. */
public final class ModelsHandler {

    private final ModelCatalog catalog;
    private final long created;

    /** @param created the {@code created} time reported for every model, in epoch seconds */
    public ModelsHandler(ModelCatalog catalog, long created) {
        this.catalog = catalog;
        this.created = created;
    }

    public void list(RoutingContext rc) {
        JsonArray data = new JsonArray();
        for (ModelTarget target : catalog.models()) {
            data.add(model(target.model().id(), target.providerName()));
        }
        for (String alias : catalog.aliases().keySet()) {
            data.add(model(alias, "gearbox"));
        }
        send(rc, new JsonObject().put("object", "list").put("data", data));
    }

    public void get(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (catalog.aliases().containsKey(id)) {
            send(rc, model(id, "gearbox"));
            return;
        }
        ModelTarget target = catalog.resolve(id).orElseThrow(() -> ApiException.modelNotFound(id));
        send(rc, model(target.model().id(), target.providerName()));
    }

    private JsonObject model(String id, String ownedBy) {
        return new JsonObject().put("id", id).put("object", "model").put("created", created).put("owned_by", ownedBy);
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
