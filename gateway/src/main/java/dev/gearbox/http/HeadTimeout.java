package dev.gearbox.http;

import dev.gearbox.time.Scheduler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a connection may go without a request in progress: from its opening, or from the end of
 * its last answer, to the end of the next request's head. A client that opens connections and sends half a
 * head (or nothing) costs nothing to send and would otherwise hold each connection forever; an idle
 * kept-alive connection is closed after the same time, as servers do, and clients open a new one.
 *
 * <p>One sweep over the loop's connections per period, rather than a timer per request: a request costs
 * two field writes. One per event loop, as its server verticle is; connections stay on that loop.
 */
public final class HeadTimeout {

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final long sweepMs;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();
    private boolean sweeping;

    private HeadTimeout(Scheduler scheduler, long timeoutMs) {
        this.scheduler = scheduler;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        // A connection is closed at most a tenth of the timeout (and never more than a second) late.
        this.sweepMs = Math.max(1, Math.min(1_000, timeoutMs / 10));
    }

    public static HeadTimeout create(Scheduler scheduler, long timeoutMs) {
        return new HeadTimeout(scheduler, timeoutMs);
    }

    /** For the server's connection handler: starts watching a new connection. */
    public Handler<HttpConnection> connections() {
        return connection -> {
            Watch watch = new Watch(scheduler.nanoTime());
            watches.put(connection, watch);
            connection.closeHandler(v -> watches.remove(connection));
            if (!sweeping) {
                sweeping = true;
                scheduler.schedule(sweepMs, this::sweep);
            }
        };
    }

    /** A request's head has arrived on {@code connection}. */
    void started(HttpConnection connection) {
        Watch watch = watches.get(connection);
        if (watch != null) {
            watch.inFlight++;
        }
    }

    /** A request on {@code connection} has been answered (or given up). */
    void ended(HttpConnection connection) {
        Watch watch = watches.get(connection);
        if (watch != null && watch.inFlight > 0 && --watch.inFlight == 0) {
            watch.idleSince = scheduler.nanoTime();
        }
    }

    private void sweep() {
        long now = scheduler.nanoTime();
        List<HttpConnection> expired = new ArrayList<>();
        watches.forEach((connection, watch) -> {
            if (watch.inFlight == 0 && now - watch.idleSince >= timeoutNanos) {
                expired.add(connection);
            }
        });
        expired.forEach(connection -> {
            watches.remove(connection);
            connection.close();
        });
        if (watches.isEmpty()) {
            sweeping = false;
        } else {
            scheduler.schedule(sweepMs, this::sweep);
        }
    }

    /** One connection: requests in progress, and since when it has had none. */
    private static final class Watch {
        private int inFlight;
        private long idleSince;

        Watch(long openedNanos) {
            this.idleSince = openedNanos;
        }
    }
}
