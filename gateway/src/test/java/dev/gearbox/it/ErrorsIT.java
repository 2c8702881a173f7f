package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.gearbox.testing.AccessLogCapture;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way a request can be wrong, answered through the real server in OpenAI's error shape. */
@Timeout(60)
class ErrorsIT {

    private static final String KEY = "gbx-team-a-key";
    private static final String AUTH = "Bearer " + KEY;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("""
                max_body_bytes: 4096
                api_keys:
                  - {key: "${TEAM_A_KEY}", tenant: team-a}
                """), Map.of("TEAM_A_KEY", KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void malformedJsonIs400() {
        JsonObject error = assertError(chat("{\"model\": \"auto\", \"messages\": [", AUTH), 400, "invalid_request_error");

        assertThat(error.getString("message")).contains("not valid JSON");
    }

    @Test
    void malformedJsonIsToldByLineColumnAndWhatWasExpectedWithoutTheParsersInternals() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("{\"model\": \"auto\", \"messages\": [", "at line 1, column 32, expected ']'");
        expected.put("{\"model\": \"auto\",\n \"messages\": {", "at line 2, column 15, expected '}'");
        expected.put("{\"model\": \"auto", "expected '\"' to close a string");
        expected.put("{model: 1}", "at line 1, column 2, expected a field name in double quotes, found 'm'");
        expected.put("{\"model\" 1}", "expected ':' after a field name");
        expected.put("{\"a\": tru}", "expected a value");
        expected.put("{\"a\": NaN}", "expected a number, found 'NaN'");
        expected.put("{\"a\": 01}", "leading zeroes");
        expected.put("{\"a\": \"\\q\"}", "expected an escape sequence");
        expected.put("{\"a\": 1} {}", "at line 1, column 10, expected the end of the body");
        expected.put("{\"a\":" + "[".repeat(1200), "document nesting depth 1001 is over the 1000 allowed");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            String message = assertError(chat(bad.getKey(), AUTH), 400, "invalid_request_error").getString("message");

            assertThat(message).as(bad.getKey()).startsWith("The request body is not valid JSON: ").contains(bad.getValue())
                    .doesNotContain("Source", "REDACTED", "Feature", "`", "code ", "Jackson", "marker");
        }
    }

    @Test
    void aFormBodyTheCodecCannotDecodeIsLoggedWithTheStatusItWasSent() {
        // What curl -d sends without a content type: form-encoded, and here with a '%' that is no escape.
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"100% sure? a=b&c\"}]}";
        try (AccessLogCapture log = AccessLogCapture.start()) {
            for (String path : new String[] {"/v1/messages/count_tokens", "/admin/routes/explain"}) {
                String id = "req-form-" + path.hashCode();
                HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .header("content-type", "application/x-www-form-urlencoded").header("authorization", AUTH)
                        .header("x-request-id", id).POST(HttpRequest.BodyPublishers.ofString(body)).build());

                JsonObject line = log.await("the access log line of " + path, l -> id.equals(l.getString("request_id")));

                assertThat(response.statusCode()).as(path).isEqualTo(400);
                assertThat(line.getInteger("status")).as(path).isEqualTo(400);
                assertThat(line.getString("outcome")).as(path).isEqualTo("client_error");
            }
        }
    }

    @Test
    void aCatalogModelWithoutAConfiguredProviderIsNamedSoForEveryOperation() {
        JsonObject chat = assertError(chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", AUTH),
                404, "invalid_request_error");
        JsonObject embeddings = assertError(gateway.post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}",
                "authorization", AUTH), 404, "invalid_request_error");
        JsonObject unknown = assertError(gateway.post("/v1/embeddings", "{\"model\":\"no-such-embedder\",\"input\":\"x\"}",
                "authorization", AUTH), 404, "invalid_request_error");

        assertThat(chat.getString("message")).contains("is in the catalog, but its provider 'openai' is not configured");
        assertThat(embeddings.getString("message"))
                .isEqualTo("The model 'text-embedding-3-small' is in the catalog, but its provider 'openai' is not configured.");
        assertThat(embeddings.getString("code")).isEqualTo("model_not_found");
        assertThat(unknown.getString("message")).contains("does not exist");
    }

    @Test
    void missingMessagesIs400NamingTheParameter() {
        JsonObject error = assertError(chat("{\"model\":\"auto\"}", AUTH), 400, "invalid_request_error");

        assertThat(error.getString("param")).isEqualTo("messages");
    }

    @Test
    void wrongTypesAre400NamingTheParameter() {
        JsonObject error = assertError(chat("{\"model\":\"auto\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", AUTH),
                400, "invalid_request_error");
        JsonObject role = assertError(chat("{\"messages\":[{\"role\":7,\"content\":\"x\"}]}", AUTH), 400, "invalid_request_error");

        assertThat(error.getString("param")).isEqualTo("stream");
        assertThat(role.getString("param")).isEqualTo("messages[0].role");
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        JsonObject error = assertError(chat("{\"model\":\"gpt-7\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", AUTH),
                404, "invalid_request_error");

        assertThat(error.getString("code")).isEqualTo("model_not_found");
        assertThat(error.getString("param")).isEqualTo("model");
    }

    @Test
    void anEmbeddingsModelCannotChat() {
        JsonObject error = assertError(chat("{\"model\":\"sim-embed\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", AUTH),
                400, "invalid_request_error");

        assertThat(error.getString("message")).contains("/v1/embeddings");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";

        JsonObject error = assertError(chat(big, AUTH), 413, "invalid_request_error");

        assertThat(error.getString("message")).contains("4096");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        assertError(gateway.get("/v1/nothing-here", "authorization", AUTH), 404, "invalid_request_error");
        assertError(gateway.get("/v1/chat/completions", "authorization", AUTH), 405, "invalid_request_error");
    }

    @Test
    void missingOrWrongKeyIs401InvalidApiKey() {
        JsonObject missing = assertError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", null), 401, "invalid_request_error");
        JsonObject wrong = assertError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Bearer nope"), 401, "invalid_request_error");

        assertThat(missing.getString("code")).isEqualTo("invalid_api_key");
        assertThat(wrong.getString("code")).isEqualTo("invalid_api_key");
        assertThat(wrong.getString("message")).doesNotContain("nope");
        assertError(gateway.get("/v1/models"), 401, "invalid_request_error");
    }

    @Test
    void theSdkMapsErrorsToItsExceptions() {
        OpenAIClient wrongKey = gateway.sdk("wrong");
        OpenAIClient client = gateway.sdk(KEY);
        try {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("auto").addUserMessage("hi").build();

            assertThatThrownBy(() -> wrongKey.chat().completions().create(params)).isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> client.chat().completions().create(params.toBuilder().temperature(5.0).build()))
                    .isInstanceOf(BadRequestException.class);
            assertThat(client.chat().completions().create(params).choices()).hasSize(1);
        } finally {
            wrongKey.close();
            client.close();
        }
    }

    @Test
    void healthNeedsNoKey() {
        assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = gateway.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("ready");
    }

    @Test
    void everyResponseCarriesARequestIdEchoedOrGenerated() {
        HttpResponse<String> echoed = gateway.post("/v1/chat/completions", "{}", "authorization", AUTH, "x-request-id", "abc-123");
        HttpResponse<String> generated = gateway.post("/v1/chat/completions", "{}", "authorization", AUTH);
        HttpResponse<String> unsafe = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health/live"))
                .header("x-request-id", "x".repeat(500)).timeout(Duration.ofSeconds(10)).GET().build());

        assertThat(echoed.headers().firstValue("x-request-id")).hasValue("abc-123");
        assertThat(generated.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9a-f]{32}"));
        assertThat(unsafe.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    }

    private static HttpResponse<String> chat(String body, String authorization) {
        return authorization == null ? gateway.post("/v1/chat/completions", body)
                : gateway.post("/v1/chat/completions", body, "authorization", authorization);
    }
}
