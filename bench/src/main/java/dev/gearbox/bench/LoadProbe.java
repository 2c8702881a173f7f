package dev.gearbox.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency probes wrk cannot take: an open-loop load at a fixed rate (latency measured from when each
 * request was due, so a stalled server cannot hide its queue), and the time to the first byte of streams.
 *
 * <p>{@code LoadProbe rate URL RPS SECONDS} and {@code LoadProbe ttfb URL COUNT}; both print one line of
 * {@code key=value} figures in milliseconds. Loopback only.
 */
public final class LoadProbe {

    /** The results go through the logger, whose console pattern run-load.sh shows as they are. */
    private static final Logger LOG = LoggerFactory.getLogger("gearbox.bench.probe");
    private static final String BODY = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}";

    private LoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        // A few dozen connections carry half the maximum rate; hundreds opened at once overflow the accept
        // backlog, and a dropped SYN costs a one-second retransmit that would pass for server latency.
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(32));
        try {
            switch (args[0]) {
                case "rate" -> rate(vertx, client, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "ttfb" -> ttfb(client, args[1], Integer.parseInt(args[2]));
                default -> throw new IllegalArgumentException("usage: rate URL RPS SECONDS | ttfb URL COUNT");
            }
        } finally {
            vertx.close().await();
        }
    }

    /** Seconds at the start of a rate run that are sent but not measured: the probe's own JIT and connection set-up. */
    private static final int WARMUP_SECONDS = 2;

    private static void rate(Vertx vertx, HttpClient client, String url, int rps, int seconds) throws InterruptedException {
        int skipped = rps * WARMUP_SECONDS;
        int total = rps * (seconds + WARMUP_SECONDS);
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rps;
        Buffer body = Buffer.buffer(BODY);
        AtomicInteger next = new AtomicInteger();
        // One timer tick per millisecond sends every request due by then; each is timed from when it was due.
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next.get() < total && start + next.get() * intervalNanos <= now) {
                int i = next.getAndIncrement();
                long due = start + i * intervalNanos;
                client.request(options(url)).compose(req -> req.send(body)).compose(res -> res.body().map(b -> res.statusCode()))
                        .onComplete(ar -> {
                            latencies[i] = System.nanoTime() - due;
                            if (ar.failed() || ar.result() != 200) {
                                errors.incrementAndGet();
                            }
                            done.countDown();
                        });
            }
            if (next.get() >= total) {
                vertx.cancelTimer(id);
            }
        });
        done.await(seconds + 60L, TimeUnit.SECONDS);
        print("rate", Arrays.copyOfRange(latencies, skipped, total), errors.get(), "rps=" + rps);
    }

    private static void ttfb(HttpClient client, String url, int count) throws Exception {
        long[] latencies = new long[count];
        int errors = 0;
        Buffer body = Buffer.buffer(STREAM_BODY);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            CountDownLatch first = new CountDownLatch(1);
            long[] at = {0};
            // The response head stands for the first byte: Gearbox sends its head with the first event of a stream.
            client.request(options(url)).compose(req -> req.send(body)).onSuccess(res -> {
                at[0] = System.nanoTime();
                res.body().onComplete(b -> first.countDown());
            }).onFailure(e -> first.countDown());
            first.await(10, TimeUnit.SECONDS);
            if (at[0] == 0) {
                errors++;
            }
            latencies[i] = at[0] == 0 ? 0 : at[0] - start;
        }
        print("ttfb", latencies, errors, "count=" + count);
    }

    private static RequestOptions options(String url) {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).putHeader("content-type", "application/json");
    }

    private static void print(String what, long[] nanos, int errors, String extra) {
        long[] sorted = Arrays.stream(nanos).filter(n -> n > 0).sorted().toArray();
        LOG.info(String.format(Locale.ROOT, "%s %s n=%d errors=%d p50=%.3f p90=%.3f p99=%.3f max=%.3f", what, extra,
                sorted.length, errors, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6));
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
