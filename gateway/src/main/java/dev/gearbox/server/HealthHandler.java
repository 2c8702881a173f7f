package dev.gearbox.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Serves {@code GET /health/live} and {@code GET /health/ready} for load balancers and Kubernetes probes. */
public final class HealthHandler {

    private final Readiness readiness;
    private final BooleanSupplier canServe;

    /** @param canServe whether some model can take requests; false only when every model's breaker is open */
    public HealthHandler(Readiness readiness, BooleanSupplier canServe) {
        this.readiness = readiness;
        this.canServe = canServe;
    }

    /** Alive whenever the event loop answers. */
    public void live(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", "up").toBuffer());
    }

    public void ready(RoutingContext rc) {
        boolean ready = readiness.isReady() && canServe.getAsBoolean();
        rc.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", ready ? "ready" : "not_ready").toBuffer());
    }
}
