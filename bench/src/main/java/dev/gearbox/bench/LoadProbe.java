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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe wrk cannot be: time to the first byte of streams, which wrk does not see.
 *
 * <p>{@code LoadProbe ttfb COUNT URL [URL...]} prints a line of {@code key=value} figures in milliseconds per URL.
 * Loopback only. (Fixed-rate load comes from wrk with a pacing script: a JVM probe could not hold a
 * schedule of thousands of requests a second on a 2-core machine it shares with the servers it measures.)
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
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(32));
        try {
            switch (args[0]) {
                case "ttfb" -> ttfb(client, Integer.parseInt(args[1]), Arrays.copyOfRange(args, 2, args.length));
                default -> throw new IllegalArgumentException("usage: ttfb COUNT URL [URL...]");
            }
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Times the first byte of COUNT sequential streams per URL, the URLs taking turns request by request, so a
     * stall of the machine falls on all of them alike rather than on whichever ran in that second.
     */
    private static final int WARMUP_STREAMS = 3000;

    private static void ttfb(HttpClient client, int count, String[] urls) throws Exception {
        // Streams first, unmeasured, enough for the JIT to compile the stream path of the probe and of the
        // gateway (whose warm-up load is plain requests): a cold path would otherwise set the tail.
        streams(client, WARMUP_STREAMS, urls);
        long[][] latencies = streams(client, count, urls);
        for (int u = 0; u < urls.length; u++) {
            print("ttfb", latencies[u], (int) Arrays.stream(latencies[u]).filter(n -> n < 0).count(), urls[u]);
        }
    }

    /** Times the response head of sequential streams, by URL; -1 marks an error. */
    private static long[][] streams(HttpClient client, int count, String[] urls) throws InterruptedException {
        long[][] latencies = new long[urls.length][count];
        Buffer body = Buffer.buffer(STREAM_BODY);
        for (int i = 0; i < count; i++) {
            for (int u = 0; u < urls.length; u++) {
                long start = System.nanoTime();
                CountDownLatch first = new CountDownLatch(1);
                long[] at = {0};
                // The response head stands for the first byte: Gearbox sends its head with the first event of a stream.
                client.request(options(urls[u])).compose(req -> req.send(body)).onSuccess(res -> {
                    at[0] = System.nanoTime();
                    res.body().onComplete(b -> first.countDown());
                }).onFailure(e -> first.countDown());
                first.await(10, TimeUnit.SECONDS);
                latencies[u][i] = at[0] == 0 ? -1 : at[0] - start;
            }
        }
        return latencies;
    }

    private static RequestOptions options(String url) {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).putHeader("content-type", "application/json");
    }

    private static void print(String what, long[] nanos, int errors, String extra) {
        long[] sorted = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray();
        LOG.info(String.format(Locale.ROOT, "%s %s n=%d errors=%d p50=%.3f p90=%.3f p99=%.3f max=%.3f", what, extra,
                sorted.length, errors, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6));
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
