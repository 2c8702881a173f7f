package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams through the gateway from an upstream the test controls byte by byte, to see what the client
 * gets and when.
 */
@Timeout(60)
class StreamingIT {

    private static Vertx vertx;
    private static HttpServer upstream;
    private static TestGateway gateway;

    private static volatile CompletableFuture<Void> release;
    private static volatile CompletableFuture<Void> upstreamClosed;
    private static volatile CompletableFuture<Long> stalledAfterBytes;
    private static final AtomicLong bigWritten = new AtomicLong();
    private static final int BIG_EVENTS = 1024;
    private static final int BIG_EVENT_BYTES = 64 * 1024;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String model = new JsonObject(body).getString("model");
            HttpServerResponse res = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            req.connection().closeHandler(v -> upstreamClosed.complete(null));
            switch (model) {
                case "held" -> {
                    res.write(event(chunk("first", null)));
                    release.thenRun(() -> vertx.runOnContext(v -> res.end(event(chunk(" second", "stop")) + "data: [DONE]\n\n")));
                }
                case "hang" -> res.write(event(chunk("first", null)));
                case "split" -> writeSlowly(res, splitPieces(), 0);
                case "cut" -> {
                    res.write(event(chunk("one", null)) + event(chunk(" two", null)) + event(chunk(" three", null)));
                    res.end();
                }
                case "reset" -> {
                    res.write(event(chunk("one", null)) + event(chunk(" two", null)) + event(chunk(" three", null)));
                    vertx.setTimer(50, t -> req.connection().close());
                }
                case "usage" -> res.end(event(chunk("hi", "stop")) + usageEvent() + "data: [DONE]\n\n");
                case "big" -> writeBig(res, 0);
                default -> res.setStatusCode(404).end();
            }
        })).listen(0, "127.0.0.1").await();
        String models = Stream.of("held", "hang", "split", "cut", "reset", "usage", "big")
                .map(m -> "  - {id: " + m + ", provider: ctl}").reduce((a, b) -> a + "\n" + b).orElseThrow();
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  ctl: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                  sim: {type: simulated}
                models:
                %s
                """.formatted(upstream.actualPort(), models));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
    }

    @BeforeEach
    void reset() {
        release = new CompletableFuture<>();
        upstreamClosed = new CompletableFuture<>();
        stalledAfterBytes = new CompletableFuture<>();
        bigWritten.set(0);
    }

    @Test
    void firstChunkReachesTheClientBeforeUpstreamHasFinished() throws Exception {
        HttpResponse<Stream<String>> response = streamLines("held", false);
        Iterator<String> lines = response.body().iterator();

        String first = CompletableFuture.supplyAsync(() -> nextData(lines)).get(10, TimeUnit.SECONDS);
        assertThat(release).isNotDone();
        assertThat(first).contains("\"content\":\"first\"");

        release.complete(null);
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);
        assertThat(rest).contains("data: [DONE]");
        assertThat(String.join("\n", rest)).contains("\"content\":\" second\"");
    }

    @Test
    void clientDisconnectCancelsTheUpstreamCall() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            String body = request("hang", false);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\"content\":\"first\"")) {
                int b = in.read();
                assertThat(b).as("stream ended early: %s", seen).isNotNegative();
                seen.append((char) b);
            }
        }

        upstreamClosed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void reassemblesFramesSplitAcrossReads() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", request("split", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(event(chunk("Grüße, ", null)) + event(chunk("👋 world", null))
                + event(chunk("", "stop")) + "data: [DONE]\n\n");
    }

    @Test
    void aStreamCutShortEndsWithAnErrorEventAndNoDone() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", request("cut", false));

        assertCut(response);
    }

    @Test
    void aStreamWhoseConnectionDropsEndsWithAnErrorEventAndNoDone() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", request("reset", false));

        assertCut(response);
    }

    @Test
    void keepsTheUsageChunkOnlyWhenTheClientAskedForIt() {
        String plain = gateway.post("/v1/chat/completions", request("usage", false)).body();
        String asked = gateway.post("/v1/chat/completions", request("usage", true)).body();

        assertThat(plain).isEqualTo(event(chunk("hi", "stop")) + "data: [DONE]\n\n");
        assertThat(asked).isEqualTo(event(chunk("hi", "stop")) + usageEvent() + "data: [DONE]\n\n");
    }

    @Test
    void aSlowClientPausesUpstreamInsteadOfFillingMemory() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request("big", false))).build();
        HttpResponse<InputStream> response = TestGateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());

        long writtenWhenStalled = stalledAfterBytes.get(30, TimeUnit.SECONDS);
        long total = (long) BIG_EVENTS * BIG_EVENT_BYTES;
        assertThat(writtenWhenStalled).as("bytes upstream could write while the client read nothing").isLessThan(total / 2);

        byte[] all;
        try (InputStream in = response.body()) {
            all = in.readAllBytes();
        }
        String text = new String(all, StandardCharsets.US_ASCII);
        long frames = text.lines().filter(l -> l.startsWith("data: ")).count();
        assertThat(frames).as("frames: every event, the finish chunk and [DONE]").isEqualTo(BIG_EVENTS + 2);
        assertThat(text).endsWith("data: [DONE]\n\n");
    }

    private static void assertCut(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).startsWith(event(chunk("one", null)) + event(chunk(" two", null)) + event(chunk(" three", null)));
        assertThat(body).doesNotContain("[DONE]");
        String last = body.strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonObject error = new JsonObject(last.substring("data: ".length())).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("server_error");
        assertThat(error.getString("message")).contains("before the answer was complete");
    }

    private static HttpResponse<Stream<String>> streamLines(String model, boolean usage) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request(model, usage))).build();
        return TestGateway.http().send(request, HttpResponse.BodyHandlers.ofLines());
    }

    private static String nextData(Iterator<String> lines) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                return line;
            }
        }
        throw new AssertionError("stream ended without data");
    }

    private static String request(String model, boolean usage) {
        JsonObject body = new JsonObject().put("model", model).put("stream", true)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
        if (usage) {
            body.put("stream_options", new JsonObject().put("include_usage", true));
        }
        return body.encode();
    }

    private static String chunk(String content, String finish) {
        return new JsonObject().put("id", "c1").put("object", "chat.completion.chunk")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", content)).put("finish_reason", finish)))
                .encode();
    }

    private static String usageEvent() {
        return event(new JsonObject().put("id", "c1").put("object", "chat.completion.chunk").put("choices", new JsonArray())
                .put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", 1).put("total_tokens", 4))
                .encode());
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    /** The split stream, cut at awkward places: inside "data:", inside a UTF-8 character, between CR and LF. */
    private static List<Buffer> splitPieces() {
        byte[] all = (event(chunk("Grüße, ", null)).replace("\n\n", "\r\n\r\n") + event(chunk("👋 world", null))
                + event(chunk("", "stop")) + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        String text = new String(all, StandardCharsets.UTF_8);
        int inUmlaut = indexOfBytes(all, "ü".getBytes(StandardCharsets.UTF_8)) + 1;
        int inEmoji = indexOfBytes(all, "👋".getBytes(StandardCharsets.UTF_8)) + 2;
        int betweenCrLf = text.indexOf("\r\n") + 1;
        int inData = text.indexOf("data:", 10) + 2;
        int[] cuts = java.util.stream.IntStream.of(3, inUmlaut, betweenCrLf, inData, inEmoji, all.length - 4)
                .sorted().distinct().toArray();
        List<Buffer> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(Buffer.buffer(java.util.Arrays.copyOfRange(all, from, cut)));
            from = cut;
        }
        pieces.add(Buffer.buffer(java.util.Arrays.copyOfRange(all, from, all.length)));
        return pieces;
    }

    private static int indexOfBytes(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void writeSlowly(HttpServerResponse res, List<Buffer> pieces, int i) {
        if (i == pieces.size()) {
            res.end();
            return;
        }
        res.write(pieces.get(i));
        vertx.setTimer(15, t -> writeSlowly(res, pieces, i + 1));
    }

    /** Writes large events as fast as the gateway takes them; reports when the gateway stops taking them. */
    private static void writeBig(HttpServerResponse res, int i) {
        String padding = "x".repeat(BIG_EVENT_BYTES - 40);
        int n = i;
        while (n < BIG_EVENTS && !res.writeQueueFull()) {
            Buffer frame = Buffer.buffer(event(new JsonObject().put("p", padding).put("i", n).encode()));
            bigWritten.addAndGet(frame.length());
            res.write(frame);
            n++;
        }
        if (n == BIG_EVENTS) {
            res.end(event(chunk("", "stop")) + "data: [DONE]\n\n");
            return;
        }
        int next = n;
        long before = bigWritten.get();
        long timer = vertx.setTimer(1_000, t -> stalledAfterBytes.complete(before));
        res.drainHandler(v -> {
            vertx.cancelTimer(timer);
            writeBig(res, next);
        });
    }
}
