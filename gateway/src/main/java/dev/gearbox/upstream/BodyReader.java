package dev.gearbox.upstream;

import dev.gearbox.providers.ProviderException;
import dev.gearbox.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;

/**
 * Reads a whole upstream body that must keep arriving: no gap between its bytes longer than the idle
 * timeout (a body that stalls mid-way fails as a timeout and is retried or fallen back from, while a slow
 * but steady one is read to its end), and no more bytes than an answer can sensibly hold.
 */
final class BodyReader {

    /** Far above any real answer (a 20 MiB one is fine), far below what would take a gateway down. */
    static final int MAX_BYTES = 128 * 1024 * 1024;

    private final Scheduler scheduler;
    private final ReadStream<Buffer> body;
    private final long idleTimeoutNanos;
    private final String provider;
    private final Promise<Buffer> promise = Promise.promise();
    private final Buffer all = Buffer.buffer();
    private long lastNanos;
    private Scheduler.Scheduled timer;

    private BodyReader(Scheduler scheduler, ReadStream<Buffer> body, long idleTimeoutMs, String provider) {
        this.scheduler = scheduler;
        this.body = body;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.provider = provider;
    }

    /** The whole body, or a failed future with a {@link ProviderException} when it stalls, breaks or overflows. */
    static Future<Buffer> read(Scheduler scheduler, ReadStream<Buffer> body, long idleTimeoutMs, String provider) {
        return new BodyReader(scheduler, body, idleTimeoutMs, provider).start();
    }

    private Future<Buffer> start() {
        lastNanos = scheduler.nanoTime();
        body.exceptionHandler(e -> fail(new ProviderException(ProviderException.Kind.CONNECTION, provider,
                "provider " + provider + " broke off its answer: " + e.getMessage(), e)));
        body.endHandler(v -> {
            cancelTimer();
            promise.tryComplete(all);
        });
        body.handler(chunk -> {
            lastNanos = scheduler.nanoTime();
            if (all.length() + chunk.length() > MAX_BYTES) {
                fail(new ProviderException(ProviderException.Kind.PROTOCOL, provider,
                        "provider " + provider + " sent an answer over " + MAX_BYTES + " bytes", null));
                return;
            }
            all.appendBuffer(chunk);
        });
        arm(idleTimeoutNanos);
        return promise.future();
    }

    private void arm(long delayNanos) {
        timer = scheduler.schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), () -> {
            if (promise.future().isComplete()) {
                return;
            }
            long idle = scheduler.nanoTime() - lastNanos;
            if (idle >= idleTimeoutNanos) {
                fail(new ProviderException(ProviderException.Kind.TIMEOUT, provider, "provider " + provider
                        + " sent nothing of its answer for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms", null));
            } else {
                arm(idleTimeoutNanos - idle);
            }
        });
    }

    private void fail(ProviderException failure) {
        cancelTimer();
        body.handler(null);
        promise.tryFail(failure);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
