package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reservations end on what was used: a stream cut by upstream and a stream the client cancels are charged
 * for what was streamed; a failed call is charged nothing and frees its reservation at once (each team
 * here may have one request in flight, so a leaked reservation would refuse the next one).
 */
@Timeout(60)
class SpendSettlementIT {

    private static Vertx vertx;
    private static HttpServer upstream;
    private static TestGateway gateway;
    private static final AtomicInteger failures = new AtomicInteger();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String model = new JsonObject(body).getString("model");
            HttpServerResponse res = req.response();
            switch (model) {
                case "cut" -> res.setChunked(true).putHeader("content-type", "text/event-stream")
                        .end(event(chunk("one")) + event(chunk(" two")) + event(chunk(" three")));
                case "hang" -> res.setChunked(true).putHeader("content-type", "text/event-stream")
                        .write(event(chunk("first words of a long answer")));
                case "fail" -> {
                    failures.incrementAndGet();
                    res.setStatusCode(400).putHeader("content-type", "application/json")
                            .end("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
                }
                default -> res.setStatusCode(404).end();
            }
        })).listen(0, "127.0.0.1").await();
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  ctl: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                  sim: {type: simulated}
                models:
                  - {id: cut, provider: ctl, price: {input: 100, output: 200}}
                  - {id: hang, provider: ctl, price: {input: 100, output: 200}}
                  - {id: fail, provider: ctl, price: {input: 100, output: 200}}
                """.formatted(upstream.actualPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
    }

    @Test
    void aStreamCutByUpstreamIsChargedForWhatWasStreamed() {
        String key = teamKey("cut-team");
        assertThat(gateway.send(VirtualKeysIT.chatRequest(gateway, key, "cut", true)).body()).contains("three");
        Eventually.await(Duration.ofSeconds(5), "the cut stream settled", () -> usage("cut-team").getLong("requests") == 1);
        JsonObject usage = usage("cut-team");
        assertThat(usage.getDouble("spend_usd")).isPositive();
        assertThat(usage.getJsonObject("tokens").getLong("completion")).isPositive();
        assertThat(gateway.send(VirtualKeysIT.chatRequest(gateway, key, "cut", true)).statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamTheClientCancelsIsChargedForWhatWasStreamedAndFreesItsPlace() throws Exception {
        String key = teamKey("cancel-team");
        String body = "{\"model\":\"hang\",\"stream\":true,\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("long answer")) {
                int b = in.read();
                assertThat(b).as("stream ended early: %s", seen).isNotNegative();
                seen.append((char) b);
            }
        }
        Eventually.await(Duration.ofSeconds(5), "the cancelled stream settled",
                () -> usage("cancel-team").getLong("requests") == 1);
        JsonObject usage = usage("cancel-team");
        assertThat(usage.getDouble("spend_usd")).isPositive();
        assertThat(usage.getJsonObject("tokens").getLong("completion")).isPositive();
    }

    @Test
    void aFailedCallIsNotChargedAndFreesItsReservation() {
        String key = teamKey("fail-team");
        for (int i = 0; i < 3; i++) {
            // One request in flight at most: the second and third are admitted only if the first was released.
            assertThat(gateway.send(VirtualKeysIT.chatRequest(gateway, key, "fail", false)).statusCode()).isEqualTo(400);
        }
        assertThat(failures.get()).isGreaterThanOrEqualTo(3);
        JsonObject usage = usage("fail-team");
        assertThat(usage.getDouble("spend_usd")).isZero();
        assertThat(usage.getLong("requests")).isZero();
    }

    private static String teamKey(String team) {
        assertThat(gateway.post("/admin/teams", "{\"id\":\"" + team + "\",\"max_concurrent\":1,\"budget_usd\":{\"daily\":10}}")
                .statusCode()).isEqualTo(201);
        return new JsonObject(gateway.post("/admin/keys", "{\"team\":\"" + team + "\"}").body()).getString("key");
    }

    private static JsonObject usage(String team) {
        return new JsonObject(gateway.get("/admin/usage?team=" + team).body());
    }

    private static String chunk(String content) {
        return new JsonObject().put("id", "c1").put("object", "chat.completion.chunk")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", content)).put("finish_reason", null)))
                .encode();
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }
}
