package dev.gearbox.admin;

import dev.gearbox.cache.ResponseCache;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code GET /admin/cache} (size, entries, hit ratio) and {@code DELETE /admin/cache[?model=id]}. */
public final class CacheAdminHandler {

    private final ResponseCache cache;

    public CacheAdminHandler(ResponseCache cache) {
        this.cache = cache;
    }

    public void show(RoutingContext rc) {
        cache.cleanUp();
        send(rc, cache.stats());
    }

    public void clear(RoutingContext rc) {
        String model = rc.request().getParam("model");
        long removed = cache.invalidate(model);
        send(rc, new JsonObject().put("removed", removed).put("model", model).mergeIn(cache.stats()));
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
