package dev.gearbox.upstream;

import dev.gearbox.providers.ProviderException;
import dev.gearbox.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads a whole upstream body, no more bytes than an answer can sensibly hold, noting when its last bytes
 * came: the attempt's timer reads {@link #lastNanos} when it fires, so a body that stalls mid-way fails as a
 * timeout while a slow but steady one is read to its end, with no timer of its own per request.
 */
final class BodyReader {

    /** Far above any real answer (a 20 MiB one is fine), far below what would take a gateway down. */
    static final int MAX_BYTES = 128 * 1024 * 1024;

    private final Scheduler scheduler;
    private final ReadStream<Buffer> body;
    private final String provider;
    private final Promise<Buffer> promise = Promise.promise();
    private final Buffer all = Buffer.buffer();
    private long lastNanos;

    private BodyReader(Scheduler scheduler, ReadStream<Buffer> body, String provider) {
        this.scheduler = scheduler;
        this.body = body;
        this.provider = provider;
    }

    /** Starts reading; {@link #body()} completes with all of it, or fails when it breaks or overflows. */
    static BodyReader start(Scheduler scheduler, ReadStream<Buffer> body, String provider) {
        BodyReader reader = new BodyReader(scheduler, body, provider);
        reader.begin();
        return reader;
    }

    Future<Buffer> body() {
        return promise.future();
    }

    /** When the last bytes arrived (or reading began). */
    long lastNanos() {
        return lastNanos;
    }

    /** Stops reading: the attempt is given up. */
    void stop() {
        body.handler(null);
        promise.tryFail(new ProviderException(ProviderException.Kind.TIMEOUT, provider,
                "provider " + provider + " stopped sending its answer", null));
    }

    private void begin() {
        lastNanos = scheduler.nanoTime();
        body.exceptionHandler(e -> fail(new ProviderException(ProviderException.Kind.CONNECTION, provider,
                "provider " + provider + " broke off its answer: " + e.getMessage(), e)));
        body.endHandler(v -> promise.tryComplete(all));
        body.handler(chunk -> {
            lastNanos = scheduler.nanoTime();
            if (all.length() + chunk.length() > MAX_BYTES) {
                fail(new ProviderException(ProviderException.Kind.PROTOCOL, provider,
                        "provider " + provider + " sent an answer over " + MAX_BYTES + " bytes", null));
                return;
            }
            all.appendBuffer(chunk);
        });
    }

    private void fail(ProviderException failure) {
        body.handler(null);
        promise.tryFail(failure);
    }
}
