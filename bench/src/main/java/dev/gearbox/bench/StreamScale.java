package dev.gearbox.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many long streams at once, for {@code stream-scale.sh}.
 *
 * <p>{@code upstream PORT CHUNKS GAP_MS}: a fake OpenAI upstream whose every stream sends a chunk every
 * GAP_MS, CHUNKS times, then a finish chunk and {@code [DONE]}. Each chunk's content is the
 * {@code System.nanoTime()} at which it was written; on Linux that is CLOCK_MONOTONIC, the same in every
 * process of the machine, so a client can tell how long the chunk took to reach it.
 *
 * <p>{@code client URL STREAMS RAMP_MS [MODEL]}: opens STREAMS streams (spread over RAMP_MS), reads them to the end,
 * and prints streams completed, errors, and the chunks' latency from upstream's write (p50, p99, max).
 */
public final class StreamScale {

    private StreamScale() {
    }

    public static void main(String[] args) throws Exception {
        if ("upstream".equals(args[0])) {
            upstream(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        } else {
            client(URI.create(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    args.length > 4 ? args[4] : "bench-model");
        }
    }

    private static final String HEAD = "data: {\"id\":\"chatcmpl-scale\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741570284,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":";

    private static void upstream(int port, int chunks, long gapMs) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(16_384))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    HttpServerResponse res = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
                    res.write(HEAD + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
                    send(vertx, res, chunks, gapMs);
                })).listen(port, "127.0.0.1").await();
        System.out.println("stream upstream on 127.0.0.1:" + port);
    }

    private static void send(Vertx vertx, HttpServerResponse res, int left, long gapMs) {
        vertx.setTimer(gapMs, t -> {
            if (left == 0) {
                res.end(HEAD + "{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
                return;
            }
            res.write(HEAD + "{\"content\":\"" + System.nanoTime() + "\"},\"finish_reason\":null}]}\n\n");
            send(vertx, res, left - 1, gapMs);
        });
    }

    private static void client(URI url, int streams, long rampMs, String model) throws InterruptedException {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true).setConnectTimeout(30_000))
                .with(new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1)).build();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                .setPort(url.getPort()).setURI(url.getPath()).putHeader("content-type", "application/json")
                .setConnectTimeout(60_000);
        Buffer body = Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story.\"}]}");
        Latencies latencies = new Latencies();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        // Why streams failed, by kind ("status 503", "cut", "failed: ..."), printed at the end.
        java.util.Map<String, AtomicInteger> kinds = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Consumer<String> failed = kind -> {
            errors.incrementAndGet();
            kinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        };
        CountDownLatch done = new CountDownLatch(streams);
        for (int i = 0; i < streams; i++) {
            vertx.setTimer(1 + rampMs * i / streams, t -> client.request(options)
                    .compose(req -> req.send(body))
                    .onSuccess(res -> {
                        if (res.statusCode() != 200) {
                            failed.accept("status " + res.statusCode());
                            res.body().onComplete(ar -> done.countDown());
                            return;
                        }
                        StringBuilder pending = new StringBuilder();
                        boolean[] sawDone = {false};
                        res.handler(chunk -> {
                            long now = System.nanoTime();
                            pending.append(chunk.toString());
                            int end;
                            while ((end = pending.indexOf("\n\n")) >= 0) {
                                String event = pending.substring(0, end);
                                pending.delete(0, end + 2);
                                if (event.equals("data: [DONE]")) {
                                    sawDone[0] = true;
                                    continue;
                                }
                                int at = event.indexOf("\"content\":\"");
                                if (at >= 0) {
                                    int from = at + 11;
                                    int to = event.indexOf('"', from);
                                    if (to > from) {
                                        latencies.add(now - Long.parseLong(event.substring(from, to)));
                                    }
                                }
                            }
                        });
                        res.exceptionHandler(e -> failed.accept("reset: " + e.getClass().getSimpleName()));
                        res.endHandler(v -> {
                            if (sawDone[0]) {
                                completed.incrementAndGet();
                            } else {
                                failed.accept("cut (no [DONE])");
                            }
                            done.countDown();
                        });
                    })
                    .onFailure(e -> {
                        failed.accept("failed: " + e.getClass().getSimpleName());
                        done.countDown();
                    }));
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            System.err.println("timed out with " + done.getCount() + " streams open");
        }
        kinds.forEach((kind, n) -> System.err.println(n.get() + " x " + kind));
        long[] sorted = latencies.sorted();
        System.out.printf("streams %d, completed %d, errors %d, chunks %d, chunk latency ms p50 %.2f p99 %.2f max %.2f%n",
                streams, completed.get(), errors.get(), sorted.length, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 1.0));
        vertx.close().await();
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1 < 0 ? 0
                : (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** Latencies from the one client event loop. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
