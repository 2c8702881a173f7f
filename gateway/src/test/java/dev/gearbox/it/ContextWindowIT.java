package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request longer than a model's context window: explain and the real request agree, candidates that cannot
 * hold it are never chosen, and a request none can hold is refused as OpenAI refuses it, never sent.
 */
@Timeout(60)
class ContextWindowIT {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  sim: {type: simulated}
                models:
                  - {id: sim-cheap, provider: sim, tier: cheap, context_window: 1000, price: {input: 0.15, output: 0.60}}
                  - {id: sim-reasoning, provider: sim, tier: reasoning, context_window: 5000, price: {input: 4.5, output: 18}}
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** About 2,000 tokens: more than sim-cheap holds, less than sim-reasoning. */
    private static String body(String model) {
        String words = "the quick brown fox jumps over the lazy dog ".repeat(220);
        return new JsonObject().put("model", model).put("max_tokens", 100).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", words))).encode();
    }

    @Test
    void aRequestNoCandidateCanHoldIsRefusedWithContextLengthExceededAndExplainSaysSo() {
        JsonObject error = assertError(gateway.post("/v1/chat/completions", body("cheap")), 400, "invalid_request_error");
        HttpResponse<String> explained = gateway.post("/admin/routes/explain", body("cheap"));

        assertThat(error.getString("code")).isEqualTo("context_length_exceeded");
        assertThat(error.getString("param")).isEqualTo("messages");
        assertThat(error.getString("message")).startsWith("This model's maximum context length is 1000 tokens (sim-cheap).");
        assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
        JsonObject explanation = new JsonObject(explained.body());
        assertThat(explanation.getString("model")).isNull();
        assertThat(explanation.getJsonObject("error").getString("kind")).isEqualTo("context_length_exceeded");
        assertThat(explanation.getJsonArray("candidates").getJsonObject(0).getString("status")).isEqualTo("dropped");
        assertThat(explanation.getJsonArray("candidates").getJsonObject(0).getString("reason")).startsWith("context window 1000 < ");
        assertThat(gateway.gearbox().meters().find("gen_ai.client.operation.duration").tag("model", "sim-cheap").timers())
                .as("never sent").isEmpty();
    }

    @Test
    void aModelNamedDirectlyThatCannotHoldTheRequestIsRefusedInTheClientsOwnShape() {
        JsonObject chat = assertError(gateway.post("/v1/chat/completions", body("sim-cheap")), 400, "invalid_request_error");
        HttpResponse<String> messages = gateway.post("/v1/messages", new JsonObject(body("sim-cheap")).encode());

        assertThat(chat.getString("code")).isEqualTo("context_length_exceeded");
        assertThat(messages.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(messages.body()).getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
        assertThat(new JsonObject(messages.body()).getJsonObject("error").getString("message")).contains("maximum context length");
    }

    @Test
    void aModelThatHoldsTheRequestServesIt() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body("sim-reasoning"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("sim-reasoning");
    }
}
