package dev.gearbox.work;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/** {@link Offload} on Vert.x's worker pool, unordered, so large requests do not queue behind each other. */
public final class VertxOffload implements Offload {

    private final Vertx vertx;

    private VertxOffload(Vertx vertx) {
        this.vertx = vertx;
    }

    public static VertxOffload of(Vertx vertx) {
        return new VertxOffload(vertx);
    }

    @Override
    public <T> Future<T> run(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
