package dev.gearbox.http;

import dev.gearbox.time.Scheduler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds how long a connection may go without a request in progress: from its opening, or from the end of
 * its last answer, to the end of the next request's head. A client that opens connections and sends half a
 * head (or nothing) costs nothing to send and would otherwise hold each connection forever; an idle
 * kept-alive connection is closed after the same time, as servers do, and clients open a new one.
 *
 * <p>One per event loop, as its server verticle is; connections and their requests stay on that loop.
 */
public final class HeadTimeout {

    private final Scheduler scheduler;
    private final long timeoutMs;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();

    private HeadTimeout(Scheduler scheduler, long timeoutMs) {
        this.scheduler = scheduler;
        this.timeoutMs = timeoutMs;
    }

    public static HeadTimeout create(Scheduler scheduler, long timeoutMs) {
        return new HeadTimeout(scheduler, timeoutMs);
    }

    /** For the server's connection handler: starts watching a new connection. */
    public Handler<HttpConnection> connections() {
        return connection -> {
            Watch watch = new Watch(connection);
            watches.put(connection, watch);
            connection.closeHandler(v -> {
                watch.stop();
                watches.remove(connection);
            });
            watch.arm();
        };
    }

    /** A request's head has arrived on {@code connection}. */
    void started(HttpConnection connection) {
        Watch watch = watches.get(connection);
        if (watch != null) {
            watch.started();
        }
    }

    /** A request on {@code connection} has been answered (or given up). */
    void ended(HttpConnection connection) {
        Watch watch = watches.get(connection);
        if (watch != null) {
            watch.ended();
        }
    }

    private final class Watch {
        private final HttpConnection connection;
        private int inFlight;
        private Scheduler.Scheduled timer;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void started() {
            inFlight++;
            stop();
        }

        void ended() {
            if (inFlight > 0 && --inFlight == 0) {
                arm();
            }
        }

        void arm() {
            stop();
            timer = scheduler.schedule(timeoutMs, () -> {
                if (inFlight == 0) {
                    connection.close();
                }
            });
        }

        void stop() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
