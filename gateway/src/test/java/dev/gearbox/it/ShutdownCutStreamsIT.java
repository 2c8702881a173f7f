package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams still running when a shutdown's drain time is over: each ends with its API's error event (not a
 * bare end of connection), and what each streamed is settled before the store closes, so a gateway started
 * again on the same state file, or the same Redis, has it in the ledger.
 */
@Timeout(120)
class ShutdownCutStreamsIT {

    /** Ten seconds of answer: far longer than the drain. */
    private static final String SLOW_MODEL = """
            - id: sim-slow
              provider: sim
              tier: cheap
              price: {input: 0.15, output: 0.60}
              simulation: {token_ms: 50, answer_tokens: 200}
            """;

    @TempDir
    Path dir;

    @Test
    void streamsCutAtShutdownEndWithTheirErrorEventAndTheirSpendIsInTheStateFile() {
        String state = "state: {file: \"" + dir.resolve("state.json") + "\"}\n";

        assertCutStreamsEndWithAnErrorEventAndAreSettled(state);
    }

    @Test
    void streamsCutAtShutdownEndWithTheirErrorEventAndTheirSpendIsInRedis() {
        try (RedisServer redis = RedisServer.start(dir)) {
            assertCutStreamsEndWithAnErrorEventAndAreSettled(redis.stateConfig("fail_closed"));
        }
    }

    private void assertCutStreamsEndWithAnErrorEventAndAreSettled(String state) {
        String config = TestGateway.simulatedConfig("drain_timeout_ms: 300").replace("models:\n",
                "models:\n" + SLOW_MODEL.indent(2)) + state;
        TestGateway gateway = TestGateway.start(config);
        List<Iterator<String>> streams = new ArrayList<>();
        try {
            streams.add(open(gateway, "/v1/chat/completions",
                    "{\"model\":\"sim-slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}"));
            streams.add(open(gateway, "/v1/responses", "{\"model\":\"sim-slow\",\"stream\":true,\"input\":\"Tell me a story\"}"));
            streams.add(open(gateway, "/v1/messages", "{\"model\":\"sim-slow\",\"stream\":true,\"max_tokens\":1000,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}"));
        } finally {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
            List<String> rests = streams.stream().map(ShutdownCutStreamsIT::rest).toList();
            closing.join();

            assertThat(rests.get(0)).as("chat completions").contains("data: {\"error\"").contains("gateway_shutting_down")
                    .doesNotContain("[DONE]");
            assertThat(rests.get(1)).as("responses").contains("event: response.failed").contains("gateway_shutting_down")
                    .doesNotContain("response.completed");
            assertThat(rests.get(2)).as("messages").contains("event: error").doesNotContain("message_stop");
        }

        try (TestGateway again = TestGateway.start(config)) {
            Eventually.await(Duration.ofSeconds(5), "the ledger read", () -> again.get("/admin/usage").statusCode() == 200);
            JsonObject usage = new JsonObject(again.get("/admin/usage").body());
            assertThat(usage.getLong("requests")).as(usage.encode()).isEqualTo(3);
            assertThat(usage.getDouble("spend_usd")).isPositive();
            assertThat(usage.getJsonObject("tokens").getLong("completion")).isPositive();
        }
    }

    /** Opens a stream and reads its first event, so it is running when the shutdown begins. */
    private static Iterator<String> open(TestGateway gateway, String path, String body) {
        try {
            HttpResponse<Stream<String>> response = TestGateway.http().send(HttpRequest.newBuilder(
                            URI.create(gateway.baseUrl() + path)).header("content-type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            Iterator<String> lines = response.body().iterator();
            assertThat(lines.next()).isNotEmpty();
            return lines;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The rest of a stream, to the end of its connection. */
    private static String rest(Iterator<String> lines) {
        StringBuilder out = new StringBuilder();
        try {
            while (lines.hasNext()) {
                out.append(lines.next()).append('\n');
            }
        } catch (java.io.UncheckedIOException cut) {
            out.append("<connection reset>");
        }
        return out.toString();
    }
}
