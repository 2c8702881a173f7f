package dev.gearbox.exchange;

import io.vertx.core.Future;

/**
 * One capability on the request path: it answers by itself (a cache hit, a refusal) or passes the
 * exchange on, and may look at the answer on its way back up. Armeria's decorator shape in Vert.x futures.
 *
 * <p>Runs on the request's event loop and never blocks; a stage that throws fails the request with
 * what it threw.
 */
@FunctionalInterface
public interface Stage {

    Future<Answer> apply(Exchange exchange, Next next);

    /** The rest of the pipeline after a stage. */
    @FunctionalInterface
    interface Next {
        Future<Answer> apply(Exchange exchange);
    }
}
