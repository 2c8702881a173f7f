package dev.gearbox.api;

import io.vertx.ext.web.RoutingContext;

/** Hears every request once its response has ended or its connection has closed. */
@FunctionalInterface
public interface RequestListener {

    /**
     * @param ctx what the gateway knows about the request
     * @param rc the routing context, for method, path and status
     * @param endNanos when the response ended, on the {@link System#nanoTime()} scale
     */
    void finished(RequestContext ctx, RoutingContext rc, long endNanos);
}
