package dev.gearbox.http;

import dev.gearbox.time.Scheduler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * Bounds the time a request's body may take to arrive. A client that declares a body and then stalls
 * would otherwise hold its connection, and a place in memory, for as long as it likes; it gets a 408 in
 * OpenAI's shape and the connection is closed, since the rest of its body may still come. A platform
 * handler, so it runs before the body handler it guards.
 */
public final class BodyTimeoutHandler implements PlatformHandler {

    private final Scheduler scheduler;
    private final long timeoutMs;

    private BodyTimeoutHandler(Scheduler scheduler, long timeoutMs) {
        this.scheduler = scheduler;
        this.timeoutMs = timeoutMs;
    }

    public static BodyTimeoutHandler create(Scheduler scheduler, long timeoutMs) {
        return new BodyTimeoutHandler(scheduler, timeoutMs);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (rc.request().isEnded()) {
            rc.next();
            return;
        }
        Scheduler.Scheduled timer = scheduler.schedule(timeoutMs, () -> {
            if (rc.request().isEnded() || rc.response().headWritten() || rc.response().closed()) {
                return;
            }
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            ErrorFormat.render(rc, HttpErrors.bodyTimedOut(timeoutMs));
            rc.request().connection().close();
        });
        rc.addEndHandler(v -> timer.cancel());
        rc.next();
    }
}
