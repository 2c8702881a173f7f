package dev.gearbox.work;

import io.vertx.core.Future;
import java.util.concurrent.Callable;

/**
 * Work whose cost grows with the size of what a client or a provider sent (parsing an 8 MiB body,
 * checking a 20 MiB answer, hashing either for the cache) runs here rather than on the event loop, so one
 * large request cannot stall the others on its loop. Small work runs in place: a worker hop costs more
 * than it saves.
 */
public interface Offload {

    /** Bodies below this size are handled on the event loop; a few milliseconds at most. */
    int THRESHOLD_BYTES = 256 * 1024;

    /** Runs {@code work} off the event loop; the future completes back on the caller's context. */
    <T> Future<T> run(Callable<T> work);

    /** Runs {@code work} off the event loop when {@code bytes} is at least {@link #THRESHOLD_BYTES}, else in place. */
    default <T> Future<T> forSize(long bytes, Callable<T> work) {
        if (bytes < THRESHOLD_BYTES) {
            try {
                return Future.succeededFuture(work.call());
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        }
        return run(work);
    }

    /** Runs everything in place: for tests, and for tools that have no event loop to protect. */
    static Offload inPlace() {
        return new Offload() {
            @Override
            public <T> Future<T> run(Callable<T> work) {
                try {
                    return Future.succeededFuture(work.call());
                } catch (Exception e) {
                    return Future.failedFuture(e);
                }
            }
        };
    }
}
