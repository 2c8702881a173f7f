package dev.gearbox.console;

import dev.gearbox.console.whatif.WhatIf;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * The what-if page's calls: {@code GET /console/api/rules} (the rule files in force and the traffic kept),
 * {@code POST /console/api/what-if/validate} and {@code POST /console/api/what-if/run} with
 * {@code {"routes", "models"?, "traffic"?}}. Compiling and replaying run on a worker.
 */
final class WhatIfHandler {

    private final WhatIf whatIf;

    WhatIfHandler(WhatIf whatIf) {
        this.whatIf = whatIf;
    }

    void rules(RoutingContext rc) {
        ConsoleJson.send(rc, 200, whatIf.inForce());
    }

    void validate(RoutingContext rc) {
        JsonObject body = ConsoleJson.body(rc);
        String routes = ConsoleJson.string(body, "routes", true);
        String models = ConsoleJson.string(body, "models", false);
        offLoop(rc, () -> whatIf.validate(models, routes));
    }

    void run(RoutingContext rc) {
        JsonObject body = ConsoleJson.body(rc);
        String routes = ConsoleJson.string(body, "routes", true);
        String models = ConsoleJson.string(body, "models", false);
        String traffic = ConsoleJson.string(body, "traffic", false);
        offLoop(rc, () -> whatIf.run(models, routes, traffic));
    }

    private static void offLoop(RoutingContext rc, Callable<JsonObject> work) {
        rc.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
            } else {
                ConsoleJson.send(rc, 200, ar.result());
            }
        });
    }
}
