package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of long streams to one model, more than the gateway's limits hold: every stream is either served
 * whole or refused promptly with 503 and {@code Retry-After}, the refused ones never reach upstream, and
 * the model's breaker stays closed, because the gateway's own limits are not the model's failures. The
 * limits are small here (a pool of 2, a bulkhead of 2); the defaults and the benchmark hold thousands.
 */
@Timeout(60)
class BurstIT {

    /** How long upstream holds each stream open: far longer than a prompt refusal may take. */
    private static final long HOLD_MS = 2_000;
    private static final int BURST = 10;

    @TempDir
    static Path rules;
    private static Vertx vertx;
    private static HttpServer upstream;
    private static final AtomicInteger calls = new AtomicInteger();
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            calls.incrementAndGet();
            String model = new JsonObject(body).getString("model");
            var res = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            res.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"held\"}", null));
            vertx.setTimer(HOLD_MS, t -> res.end(chunk(model, "{}", "\"stop\"") + "data: [DONE]\n\n"));
        })).listen(0, "127.0.0.1").await();

        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: pooled, provider: narrow-pool}
                  - {id: bulkheaded, provider: wide-pool}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto]
                routes:
                  - name: pooled
                    when: {model: pooled}
                    then: {models: [pooled]}
                  - name: bulkheaded
                    when: {model: bulkheaded}
                    then: {models: [bulkheaded]}
                  - name: default
                    then: {models: [bulkheaded]}
                """);
        // A breaker that opens on 2 failures of 4 calls: were a refusal held against the model, it would open.
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  narrow-pool: {type: openai, base_url: "http://127.0.0.1:%1$d/v1", max_connections: 2, connect_timeout_ms: 300,
                      pool_wait_ms: 200}
                  wide-pool: {type: openai, base_url: "http://127.0.0.1:%1$d/v1"}
                rules: {directory: "%2$s"}
                cache: {enabled: false}
                resilience:
                  defaults:
                    breaker_window: 4
                    breaker_minimum_calls: 4
                    breaker_failure_rate: 50
                    breaker_open_ms: 60000
                  models:
                    bulkheaded: {max_concurrent: 2}
                """.formatted(upstream.actualPort(), rules), Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
    }

    @Test
    void burstBeyondThePoolIsServedOrRefusedPromptlyAndLeavesTheBreakerClosed() {
        int before = calls.get();

        List<Timed> responses = burst("pooled");

        List<Timed> served = responses.stream().filter(r -> r.response.statusCode() == 200).toList();
        List<Timed> refused = responses.stream().filter(r -> r.response.statusCode() != 200).toList();
        // Two hold the pool's connections; two more wait for one and give up after connect_timeout_ms plus
        // pool_wait_ms (0.5 s); the rest
        // find the wait queue (as long as the pool) full.
        assertThat(served).hasSize(2).allSatisfy(r -> assertThat(r.response.body()).endsWith("data: [DONE]\n\n"));
        assertThat(refused).hasSize(BURST - 2).allSatisfy(r -> {
            assertThat(assertError(r.response, 503, "server_error").getString("code")).isEqualTo("gateway_busy");
            assertThat(r.response.headers().firstValue("retry-after")).hasValue("1");
            assertThat(r.elapsedMs).as("a refusal comes before any held stream ends").isLessThan(HOLD_MS);
        });
        assertThat(calls.get() - before).as("calls that reached upstream").isEqualTo(2);
        assertBreakerClosed("pooled");
        assertThat(stream("pooled").join().response.statusCode()).isEqualTo(200);
    }

    @Test
    void burstBeyondTheBulkheadIsRefusedPromptlyWithRetryAfter() {
        List<Timed> responses = burst("bulkheaded");

        assertThat(responses).filteredOn(r -> r.response.statusCode() == 200).hasSize(2);
        assertThat(responses).filteredOn(r -> r.response.statusCode() != 200).hasSize(BURST - 2).allSatisfy(r -> {
            assertThat(assertError(r.response, 503, "server_error").getString("code")).isEqualTo("no_model_available");
            assertThat(r.response.headers().firstValue("retry-after")).hasValue("1");
            assertThat(r.elapsedMs).isLessThan(HOLD_MS);
        });
        assertBreakerClosed("bulkheaded");
        assertThat(stream("bulkheaded").join().response.statusCode()).isEqualTo(200);
    }

    private static void assertBreakerClosed(String model) {
        assertThat(gateway.get("/metrics").body()).contains(
                "resilience4j_circuitbreaker_state{name=\"" + model + "\",state=\"closed\"} 1.0");
    }

    private record Timed(HttpResponse<String> response, long elapsedMs) {
    }

    private static List<Timed> burst(String model) {
        List<CompletableFuture<Timed>> pending = IntStream.range(0, BURST).mapToObj(i -> stream(model)).toList();
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static CompletableFuture<Timed> stream(String model) {
        String body = new JsonObject().put("model", model).put("stream", true).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "hello"))).encode();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    private static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }
}
