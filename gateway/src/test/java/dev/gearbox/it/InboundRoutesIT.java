package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.telemetry.MeterNames;
import dev.gearbox.testing.RawClient;
import dev.gearbox.testing.RawClient.RawResponse;
import dev.gearbox.testing.TestGateway;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inbound APIs' POSTs are served below the web router (http/InboundRoutes): what the router's body
 * handler did for them must still hold on the raw wire: bodies in many pieces, {@code Expect: 100-continue},
 * a client that leaves halfway, another method or spelling of the path.
 */
class InboundRoutesIT {

    private static final String KEY = "gbx-inbound-routes-key";
    private static final String AUTH = "Authorization: Bearer " + KEY;
    private static final Duration READ = Duration.ofSeconds(10);
    private static final String BODY = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"pieces of a body\"}]}";

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("""
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 1
                  api_keys:
                    - {key: "${TEAM_KEY}", tenant: team-a}
                providers:
                  sim: {type: simulated}
                models:
                %s
                """.formatted(TestGateway.INSTANT_SIM_MODELS.indent(2)), java.util.Map.of("TEAM_KEY", KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aChunkedBodyInManySmallPiecesIsReadWhole() {
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < body.length; i += 3) {
                byte[] piece = java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 3));
                client.send(dev.gearbox.testing.RawUpstream.Reply.chunk(piece));
            }
            client.send("0\r\n\r\n");

            RawResponse response = client.response(READ);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.bodyText()).contains("pieces of a body");
            assertThat(response.header("x-gearbox-route")).isPresent();
        }
    }

    @Test
    void aClientThatExpects100ContinueIsToldToSendItsBody() {
        try (RawClient client = RawClient.connect(gateway.port())) {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");

            assertThat(client.response(READ).status()).isEqualTo(100);
            client.send(body);
            assertThat(client.response(READ).status()).isEqualTo(200);
        }
    }

    @Test
    void aClientWithoutAKeyIsRefusedBeforeItSendsItsBodyAndTheConnectionStaysUsable() {
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");

            assertError(client.response(READ), 401, "invalid_request_error");
        }
        try (RawClient client = RawClient.connect(gateway.port())) {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            client.send(body);
            assertError(client.response(READ), 401, "invalid_request_error");
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            client.send(body);
            assertThat(client.response(READ).status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatLeavesHalfwayThroughItsBodyIsCountedAsCancelled() throws Exception {
        double before = cancelled();
        try (RawClient client = RawClient.connect(gateway.port())) {
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"model\":");
        }
        // The gateway's own loop checks the meter until the close has been seen, and the test awaits that.
        java.util.concurrent.CompletableFuture<Double> seen = new java.util.concurrent.CompletableFuture<>();
        long timer = gateway.gearbox().vertx().setPeriodic(5, id -> {
            if (cancelled() > before) {
                seen.complete(cancelled());
            }
        });
        try {
            assertThat(seen.get(READ.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(before + 1);
        } finally {
            gateway.gearbox().vertx().cancelTimer(timer);
        }
        assertThat(gateway.post("/v1/chat/completions", BODY, "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aPathWithADoubledOrTrailingSlashIsServedAfterTheKeyCheck() {
        for (String path : new String[] {"/v1//chat/completions", "//v1/chat/completions", "/v1/chat/completions/",
                "/v1/./chat/completions"}) {
            assertError(gateway.post(path, BODY), 401, "invalid_request_error");
            assertThat(gateway.post(path, BODY, "Authorization", "Bearer " + KEY).statusCode()).as(path).isEqualTo(200);
        }
        assertError(gateway.post("/v1/../v1/chat/completions/x", BODY, "Authorization", "Bearer " + KEY), 404,
                "invalid_request_error");
    }

    @Test
    void anotherMethodIs405AndAnEscapedSpellingIs404InTheApisOwnShape() {
        java.net.http.HttpResponse<String> messages = gateway.get("/v1/messages", "x-api-key", KEY);
        assertThat(messages.statusCode()).isEqualTo(405);
        io.vertx.core.json.JsonObject error = new io.vertx.core.json.JsonObject(messages.body());
        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(error.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertError(gateway.post("/v1/chat/%63ompletions", BODY, "Authorization", "Bearer " + KEY), 404,
                "invalid_request_error");
    }

    private static double cancelled() {
        Counter counter = gateway.gearbox().meters().find(MeterNames.REQUESTS).tag("outcome", "cancelled").counter();
        return counter == null ? 0 : counter.count();
    }
}
