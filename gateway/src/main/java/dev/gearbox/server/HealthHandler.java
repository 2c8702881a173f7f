package dev.gearbox.server;

import dev.gearbox.config.RedisConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Serves {@code GET /health/live} and {@code GET /health/ready} for load balancers and Kubernetes probes. */
public final class HealthHandler {

    private final Readiness readiness;
    private final BooleanSupplier canServe;
    private final BooleanSupplier storeAvailable;
    private final RedisConfig.OnUnavailable onUnavailable;

    /**
     * @param canServe whether some model can take requests; false only when every model's breaker is open
     * @param storeAvailable whether the shared state store answers
     * @param onUnavailable what admission does without it; null for a store in this process
     */
    public HealthHandler(Readiness readiness, BooleanSupplier canServe, BooleanSupplier storeAvailable,
                         RedisConfig.OnUnavailable onUnavailable) {
        this.readiness = readiness;
        this.canServe = canServe;
        this.storeAvailable = storeAvailable;
        this.onUnavailable = onUnavailable;
    }

    /** Alive whenever the event loop answers. */
    public void live(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", "up").toBuffer());
    }

    public void ready(RoutingContext rc) {
        boolean ready = readiness.isReady() && canServe.getAsBoolean();
        JsonObject body = new JsonObject().put("status", ready ? "ready" : "not_ready");
        if (!storeAvailable.getAsBoolean()) {
            // The gateway stays ready: pulling every replica out of the load balancer would turn a Redis
            // outage into a full one. It says what is degraded and how admission behaves meanwhile.
            body.put("degraded", new JsonArray().add(new JsonObject().put("component", "state_store")
                    .put("detail", onUnavailable == RedisConfig.OnUnavailable.FAIL_OPEN
                            ? "redis unreachable: limits and budgets counted by this replica alone (fail_open)"
                            : "redis unreachable: requests with limits or budgets refused with 503 (fail_closed)")));
        }
        rc.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
                .end(body.toBuffer());
    }
}
