package dev.gearbox.bench;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.server.Gearbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request through the real gateway, in process: a Vert.x client posts a chat request to Gearbox (the
 * shipped routes, metrics on, cache off, one event loop), which calls a fake upstream on its own event
 * loop. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per request by the
 * whole process, client and upstream included, so the {@code direct*} benchmarks (the same client to the
 * upstream alone) give what to subtract: {@code plain - direct} is Gearbox's allocation per request, and
 * {@code (stream - directStream) / 10} per relayed chunk (the fake stream has 10 events and {@code [DONE]}).
 *
 * <p>Run from the repository root, where {@code routing-rules/} is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+UseSerialGC"})
public class GatewayBenchmark {

    private static final Buffer PLAIN = Buffer.buffer(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");
    private static final Buffer STREAM = Buffer.buffer("{\"model\":\"auto\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");

    private Vertx vertx;
    private HttpServer upstream;
    private Gearbox gearbox;
    private HttpClient client;
    private RequestOptions toGateway;
    private RequestOptions toUpstream;

    @Setup
    public void setUp() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
        upstream = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(req -> req.body()
                .onSuccess(body -> {
                    if (body.toString().contains("\"stream\":true")) {
                        var res = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
                        FakeUpstream.CHUNKS.forEach(res::write);
                        res.end();
                    } else {
                        req.response().putHeader("content-type", "application/json").end(FakeUpstream.COMPLETION);
                    }
                })).listen(0, "127.0.0.1").await();
        Path rules = Files.createTempDirectory("gearbox-bench-rules");
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode]}
                  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}, capabilities: [tools, reasoning]}
                """);
        Files.copy(Path.of("routing-rules/routes.yaml"), rules.resolve("routes.yaml"));
        GearboxConfig config = ConfigLoader.of(Map.of()).parse("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1, access_log: false}
                providers:
                  fake: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                rules: {directory: "%s"}
                cache: {enabled: false}
                """.formatted(upstream.actualPort(), rules), "bench config");
        gearbox = Gearbox.start(config, Clock.systemUTC()).await();
        client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
                .with(new PoolOptions().setHttp1MaxSize(1)).build();
        toGateway = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gearbox.port())
                .setURI("/v1/chat/completions").putHeader("content-type", "application/json");
        toUpstream = new RequestOptions(toGateway).setPort(upstream.actualPort());
    }

    @TearDown
    public void tearDown() {
        gearbox.close();
        vertx.close().await();
    }

    private Buffer call(RequestOptions options, Buffer body) {
        Future<Buffer> answer = client.request(options).compose(req -> req.send(body)).compose(res -> {
            if (res.statusCode() != 200) {
                throw new IllegalStateException("status " + res.statusCode());
            }
            return res.body();
        });
        return answer.toCompletionStage().toCompletableFuture().join();
    }

    @Benchmark
    public Buffer plain() {
        return call(toGateway, PLAIN);
    }

    @Benchmark
    public Buffer direct() {
        return call(toUpstream, PLAIN);
    }

    @Benchmark
    public Buffer stream() {
        return call(toGateway, STREAM);
    }

    @Benchmark
    public Buffer directStream() {
        return call(toUpstream, STREAM);
    }
}
