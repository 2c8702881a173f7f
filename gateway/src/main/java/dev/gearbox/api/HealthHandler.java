package dev.gearbox.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code GET /health/live} and {@code GET /health/ready} for load balancers and Kubernetes probes. */
public final class HealthHandler {

    private final Readiness readiness;

    public HealthHandler(Readiness readiness) {
        this.readiness = readiness;
    }

    /** Alive whenever the event loop answers. */
    public void live(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", "up").toBuffer());
    }

    public void ready(RoutingContext rc) {
        boolean ready = readiness.isReady();
        rc.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", ready ? "ready" : "not_ready").toBuffer());
    }
}
