package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twelve broken promises of issue 13, each driven through the real server against a provider that
 * misbehaves in exactly that way (a Vert.x server playing OpenAI), and each held now.
 */
@Timeout(90)
class HardeningIT {

    private static final String HEAD = "\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"";
    private static final Map<String, CompletableFuture<Void>> upstreamClosed = new ConcurrentHashMap<>();
    private static final AtomicInteger calls = new AtomicInteger();
    private static final String HUGE_TEXT = "word ".repeat(4 * 1024 * 1024);

    @TempDir
    static Path rules;
    private static Vertx vertx;
    private static HttpServer upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            JsonObject request = body.toJsonObject();
            String model = request.getString("model");
            calls.incrementAndGet();
            CompletableFuture<Void> closed = upstreamClosed.computeIfAbsent(model, m -> new CompletableFuture<>());
            req.connection().closeHandler(v -> closed.complete(null));
            HttpServerResponse res = req.response();
            switch (model) {
                case "garbage-late" -> res.putHeader("content-type", "text/event-stream").end(
                        event(chunk("{\"content\":\"hello\"}", null)) + "data: {\"id\":\"x\",\"choices\":[{{{\n\n"
                                + "data: [DONE]\n\n");
                case "garbage-first" -> res.putHeader("content-type", "text/event-stream").end(
                        "data: {\"id\":\"x\",\"choices\":[{{{\n\n" + event(chunk("{\"content\":\"x\"}", "stop"))
                                + "data: [DONE]\n\n");
                case "balanced-garbage" -> res.putHeader("content-type", "application/json")
                        .end("{\"choices\": [1 2], \"usage\": {\"prompt_tokens\": 1, \"completion_tokens\": 1}}");
                case "error-in-200" -> res.putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
                case "huge" -> res.putHeader("content-type", "application/json").end(completion(HUGE_TEXT, null, null));
                case "stall-stream" -> res.putHeader("content-type", "text/event-stream").setChunked(true)
                        .write(event(chunk("{\"role\":\"assistant\",\"content\":\"one\"}", null)));
                case "slow-503" -> vertx.setTimer(1_800, t -> res.setStatusCode(503).end("{\"error\":{\"message\":\"busy\"}}"));
                case "refusal" -> res.putHeader("content-type", "application/json").end(completion(null, "I can't help with that.",
                        new JsonObject().put("content", null).put("refusal", new JsonArray()
                                .add(new JsonObject().put("token", "I").put("logprob", -0.1).put("bytes", new JsonArray())
                                        .put("top_logprobs", new JsonArray())))));
                case "flaky" -> res.setStatusCode(503).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}");
                default -> res.setStatusCode(404).end();
            }
        })).listen(0, "127.0.0.1").await();

        List<String> ctl = List.of("garbage-late", "garbage-first", "balanced-garbage", "error-in-200", "huge",
                "stall-stream", "slow-503", "refusal", "flaky");
        StringBuilder models = new StringBuilder("models:\n").append(TestGateway.INSTANT_SIM_MODELS.indent(2));
        StringBuilder routes = new StringBuilder("aliases: [auto]\nroutes:\n");
        for (String m : ctl) {
            models.append("  - {id: ").append(m).append(", provider: ctl, tier: cheap, price: {input: 0.15, output: 0.6}}\n");
            routes.append("  - name: ").append(m).append("\n    when: {model: ").append(m)
                    .append("}\n    then: {models: [").append(m).append("], fallbacks: [sim-cheap]}\n");
        }
        models.append("  - {id: rate-limited, provider: sim, tier: cheap, price: {input: 0.15, output: 0.6},"
                + " simulation: {failure_rate: 1.0, failure_status: 429}}\n");
        routes.append("  - name: default\n    then: {tier: cheap}\n");
        Files.writeString(rules.resolve("models.yaml"), models.toString());
        Files.writeString(rules.resolve("routes.yaml"), routes.toString());
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1, body_timeout_ms: 500}
                providers:
                  ctl: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                  sim: {type: simulated}
                rules: {directory: "%s"}
                resilience:
                  defaults:
                    first_byte_timeout_ms: 3000
                    idle_timeout_ms: 400
                    total_timeout_ms: 6000
                    max_attempts: 2
                    backoff_initial_ms: 10
                    backoff_max_ms: 20
                    breaker_minimum_calls: 1000
                  models:
                    slow-503: {total_timeout_ms: 1000, max_attempts: 1}
                """.formatted(upstream.actualPort(), rules));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
    }

    // 1
    @Test
    void garbageAfterTheFirstEventEndsTheStreamWithAnErrorEventAndNoDone() {
        String body = stream("garbage-late").body();

        assertThat(body).startsWith("data: " + chunk("{\"content\":\"hello\"}", null));
        assertThat(body).doesNotContain("[DONE]").doesNotContain("data: {\"id\":\"x\"");
        assertThat(lastEvent(body).getJsonObject("error").getString("code")).isEqualTo("upstream_malformed_stream");
    }

    @Test
    void garbageAsTheFirstEventFallsBackBeforeAnythingReachesTheClient() {
        HttpResponse<String> response = stream("garbage-first");

        assertThat(response.body()).doesNotContain("data: {\"id\":\"x\"").endsWith("data: [DONE]\n\n");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(path ->
                assertThat(path).startsWith("garbage-first=malformed_stream").endsWith("sim-cheap=ok"));
    }

    // 2
    @Test
    void aTwoHundredWhoseBracketsBalanceButDoesNotParseIsNoAnswer() {
        HttpResponse<String> response = chat("balanced-garbage", 0);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("sim-cheap");
        assertThat(response.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(path ->
                assertThat(path).startsWith("balanced-garbage=malformed"));
    }

    @Test
    void aTwoHundredThatCarriesAnErrorIsNoAnswerAndIsNeitherPricedNorCached() {
        HttpResponse<String> first = chat("error-in-200", 0);
        HttpResponse<String> second = chat("error-in-200", 0);

        assertThat(first.headers().firstValue("x-gearbox-model")).hasValue("sim-cheap");
        assertThat(first.headers().firstValue("x-gearbox-fallbacks")).hasValueSatisfying(path ->
                assertThat(path).startsWith("error-in-200=error_in_200"));
        // The fallback's answer stood in for error-in-200 once; it is not kept as error-in-200's.
        assertThat(second.headers().firstValue("x-gearbox-cache")).hasValue("miss");
    }

    // 3
    @Test
    void aLargeValidAnswerToACacheableRequestIsServedAndKept() {
        HttpResponse<String> first = chat("huge", 0);
        HttpResponse<String> second = chat("huge", 0);

        assertThat(first.statusCode()).as(first.body().length() > 300 ? first.body().substring(0, 300) : first.body())
                .isEqualTo(200);
        assertThat(first.headers().firstValue("x-gearbox-fallbacks")).isEmpty();
        assertThat(first.body().length()).isGreaterThan(HUGE_TEXT.length());
        assertThat(second.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(second.body()).isEqualTo(first.body());
    }

    // 4
    @Test
    void aNumberPastADoubleIsTheClientsError() {
        JsonObject error = assertError(gateway.post("/v1/chat/completions",
                "{\"model\":\"sim-cheap\",\"seed\":1e400,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "invalid_request_error");

        assertThat(error.getString("param")).isEqualTo("seed");
    }

    @Test
    void eightMebibytesOfHugeNumbersNeitherFailNorHoldTheEventLoop() throws Exception {
        StringBuilder body = new StringBuilder("{\"model\":\"sim-cheap\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"x\":[1e308");
        while (body.length() < 7_900_000) {
            body.append(",1e308");
        }
        body.append("]}");
        String big = body.toString();

        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() ->
                gateway.post("/v1/chat/completions", big));
        // The gateway runs one event loop here: while the large body is parsed and keyed, the loop must
        // still answer (it was held for seconds when that work ran on it).
        long slowestProbe = 0;
        while (!answer.isDone()) {
            long probe = System.nanoTime();
            assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
            slowestProbe = Math.max(slowestProbe, System.nanoTime() - probe);
        }

        assertThat(answer.get().statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(slowestProbe)).isLessThan(Duration.ofMillis(1_500));
    }

    // 5
    @Test
    void aBodyThatStallsGets408AndTheConnectionIsClosed() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"messages\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();

            String response = readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).contains("\"code\":\"request_timeout\"");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    // 6
    @Test
    void aStreamCutByTheIdleTimeoutReleasesTheUpstreamCall() throws Exception {
        String body = stream("stall-stream").body();

        assertThat(lastEvent(body).getJsonObject("error").getString("code")).isEqualTo("upstream_idle_timeout");
        upstreamClosed.get("stall-stream").get(3, TimeUnit.SECONDS);
    }

    // 7
    @Test
    void aRequestWaitingForAnIdenticalOneKeepsItsOwnDeadline() throws Exception {
        String body = "{\"model\":\"slow-503\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"same\"}]}";
        CompletableFuture<HttpResponse<String>> leader = CompletableFuture.supplyAsync(() ->
                gateway.post("/v1/chat/completions", body));
        // The follower must find the leader in flight: wait until the leader's call has reached upstream.
        Eventually.await(Duration.ofSeconds(5), "the leader reached upstream", () -> upstreamClosed.containsKey("slow-503"));
        long started = System.nanoTime();

        HttpResponse<String> follower = gateway.post("/v1/chat/completions", body);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        leader.get(10, TimeUnit.SECONDS);
        // A deadline of 1,000 ms from its own arrival: it may not wait for the leader and then start afresh.
        assertThat(took).isLessThan(Duration.ofMillis(1_700));
        assertThat(follower.statusCode()).isIn(200, 504);
    }

    // 8
    @Test
    void anOverlongUtf8EncodingIsRefused() throws IOException {
        byte[] head = "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"a".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(head);
        body.write(new byte[] {(byte) 0xc0, (byte) 0xaf});
        body.write(tail);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();

        JsonObject error = assertError(gateway.send(request), 400, "invalid_request_error");

        assertThat(error.getString("message")).contains("UTF-8");
    }

    // 9
    @Test
    void errorsOfTheHttpLayerComeInOpenAisShape() throws IOException {
        String tooLarge = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        String badName = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
        String nul = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n");

        assertThat(tooLarge).startsWith("HTTP/1.1 431").contains("{\"error\":{");
        assertThat(badName).startsWith("HTTP/1.1 400").contains("\"type\":\"invalid_request_error\"");
        assertThat(nul).startsWith("HTTP/1.1 400").contains("\"type\":\"invalid_request_error\"").doesNotContain("a\\u0000b");
    }

    // 10
    @Test
    void aMalformedPercentEscapeIsTheClientsError() throws IOException {
        for (String path : List.of("/v1/models/%ZZ", "/v1/models/abc%2", "/v1/chat/%zz/completions")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(response).as(path).startsWith("HTTP/1.1 400").contains("\"type\":\"invalid_request_error\"");
        }
    }

    // 11
    @Test
    void aCachedRefusalReplaysAsARefusalWithItsLogprobsInEitherForm() {
        HttpResponse<String> whole = chat("refusal", 0);
        HttpResponse<String> replayed = stream("refusal", 0);
        HttpResponse<String> again = chat("refusal", 0);

        assertThat(whole.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(replayed.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(replayed.body()).contains("\"refusal\":\"I can't help with that.\"").contains("\"logprob\":-0.1")
                .endsWith("data: [DONE]\n\n");
        JsonObject message = new JsonObject(again.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("refusal")).isEqualTo("I can't help with that.");
        assertThat(message.getValue("content")).isNull();
    }

    // 12
    @Test
    void theCostHeaderHasNoBinaryNoise() {
        for (String prompt : List.of("a", "two words", "three words here", "Summarise the plot of Hamlet in one line")) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions",
                    "{\"model\":\"sim-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
            String cost = response.headers().firstValue("x-gearbox-cost-usd").orElseThrow();
            assertThat(new BigDecimal(cost).precision()).as(cost).isLessThanOrEqualTo(12);
        }
    }

    @Test
    void theSimulatorsRateLimitLooksLikeOpenAis() {
        JsonObject error = assertError(chat("rate-limited", 0), 429, "requests");

        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void aSimulatedToolCallStreamStartsWithNullContent() {
        String body = gateway.post("/v1/chat/completions", "{\"model\":\"sim-cheap\",\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"weather?\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}").body();

        JsonObject first = new JsonObject(body.lines().filter(l -> l.startsWith("data: {")).findFirst().orElseThrow()
                .substring("data: ".length()));
        JsonObject delta = first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
        assertThat(delta.containsKey("content")).isTrue();
        assertThat(delta.getValue("content")).isNull();
    }

    @Test
    void aClientThatIsRetryingGetsOneAttemptPerModel() {
        String body = "{\"model\":\"flaky\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> first = gateway.post("/v1/chat/completions", body, "x-stainless-retry-count", "0");
        HttpResponse<String> retry = gateway.post("/v1/chat/completions", body, "x-stainless-retry-count", "1");

        assertThat(first.headers().firstValue("x-gearbox-fallbacks")).hasValue("flaky=503,flaky=503,sim-cheap=ok");
        assertThat(retry.headers().firstValue("x-gearbox-fallbacks")).hasValue("flaky=503,sim-cheap=ok");
    }

    private static HttpResponse<String> chat(String model, double temperature) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"temperature\":" + temperature
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static HttpResponse<String> stream(String model) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static HttpResponse<String> stream(String model, double temperature) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":true,\"temperature\":"
                + temperature + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private static JsonObject lastEvent(String body) {
        String last = body.strip().lines().reduce((a, b) -> b).orElseThrow();
        return new JsonObject(last.substring("data: ".length()));
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            // What arrived before the timeout is the answer; a connection held open shows in the assertions.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String completion(String content, String refusal, JsonObject logprobs) {
        JsonObject message = new JsonObject().put("role", "assistant").put("content", content).put("refusal", refusal);
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "m")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .put("logprobs", logprobs).put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 5).put("total_tokens", 8))
                .encode();
    }

    private static String chunk(String delta, String finishReason) {
        return "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }
}
