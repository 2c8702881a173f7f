package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every inbound API goes through admission: a key's request limit and budget hold on each, the refusal is
 * in that API's own error shape with {@code Retry-After}, an unknown key is a 401 in that shape, and a
 * stream is charged for what it streamed whichever API it was asked through.
 */
@Timeout(120)
class EveryPathAdmittedIT {

    private static TestGateway gateway;

    /** A request on one inbound API; {@code anthropic} when it answers errors in Anthropic's shape. */
    private record Call(String path, String body, boolean anthropic) {
    }

    private static final String CHAT = "{\"model\":\"sim-cheap\",\"max_tokens\":50,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    private static final String MESSAGES = "{\"model\":\"sim-cheap\",\"max_tokens\":50,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    /** The APIs that call a model: counted against the key's limits and priced against its budget. */
    private static final List<Call> CALLING = List.of(
            new Call("/v1/chat/completions", CHAT, false),
            new Call("/v1/embeddings", "{\"model\":\"sim-embed\",\"input\":\"hello there\"}", false),
            new Call("/v1/moderations", "{\"model\":\"sim-moderation\",\"input\":\"hello there\"}", false),
            new Call("/v1/completions", "{\"model\":\"sim-cheap\",\"prompt\":\"hello there\",\"max_tokens\":50}", false),
            new Call("/v1/responses", "{\"model\":\"sim-cheap\",\"input\":\"hello there\",\"max_output_tokens\":50}", false),
            new Call("/v1/messages", MESSAGES, true));

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("").replace("default_embedding_model: sim-embed",
                "  - {id: sim-moderation, provider: sim, kind: moderation}\ndefault_embedding_model: sim-embed"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aKeysRequestsPerMinuteLimitIsEnforcedOnEveryApiInItsOwnErrorShape() {
        for (Call call : CALLING) {
            String key = key("rpm" + call.path().replace('/', '-'), "\"rpm\":2");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> served = send(call, key);
                assertThat(served.statusCode()).as("%s: %s", call.path(), served.body()).isEqualTo(200);
            }
            HttpResponse<String> refused = send(call, key);
            assertRefusal(call, refused, 429, call.anthropic() ? "rate_limit_error" : "requests");
            if (!call.anthropic()) {
                assertThat(assertError(refused, 429, "requests").getString("code")).isEqualTo("rate_limit_exceeded");
            }
        }
    }

    @Test
    void aKeyPastItsBlockingBudgetIsRefusedOnEveryPricedApiInItsOwnErrorShape() {
        for (Call call : CALLING) {
            if (call.path().equals("/v1/embeddings") || call.path().equals("/v1/moderations")) {
                continue; // the simulated embedding and moderation models have no price: they never spend
            }
            String key = key("budget" + call.path().replace('/', '-'),
                    "\"budget_usd\":{\"daily\":0.000001},\"on_budget\":\"block\"");
            HttpResponse<String> refused = send(call, key);
            // A request whose most possible cost alone is over the budget can never fit it: no Retry-After.
            assertRefusal(call, refused, 429, call.anthropic() ? "rate_limit_error" : "insufficient_quota", false);
            if (call.anthropic()) {
                assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("message")).contains("budget")
                        .contains("can never fit");
            } else {
                assertThat(assertError(refused, 429, "insufficient_quota").getString("code")).isEqualTo("insufficient_quota");
            }
        }
    }

    @Test
    void anUnknownKeyIsRefusedOnEveryApiInItsOwnErrorShape() {
        List<Call> all = new java.util.ArrayList<>(CALLING);
        all.add(new Call("/v1/messages/count_tokens", MESSAGES, true));
        for (Call call : all) {
            HttpResponse<String> refused = send(call, "gbx-not-a-key");
            if (call.anthropic()) {
                assertAnthropicError(refused, 401, "authentication_error");
            } else {
                assertThat(assertError(refused, 401, "invalid_request_error").getString("code")).isEqualTo("invalid_api_key");
            }
        }
        for (String method : List.of("GET", "DELETE")) {
            HttpResponse<String> refused = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                    + "/v1/responses/resp_1")).header("authorization", "Bearer gbx-not-a-key").method(method,
                    HttpRequest.BodyPublishers.noBody()).build());
            assertThat(assertError(refused, 401, "invalid_request_error").getString("code")).isEqualTo("invalid_api_key");
        }
    }

    @Test
    void countingTokensAndReadingStoredResponsesNeedAKeyButSpendNoneOfItsRequests() {
        String key = key("free-paths", "\"rpm\":2");
        Call create = CALLING.get(4);
        String id = new JsonObject(send(create, key).body()).getString("id");
        // The one request that called a model; none of what follows is counted, so the second still passes.
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> counted = send(new Call("/v1/messages/count_tokens", MESSAGES, true), key);
            assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
            HttpResponse<String> read = gateway.get("/v1/responses/" + id, "authorization", "Bearer " + key);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        }
        assertThat(send(create, key).statusCode()).isEqualTo(200);
        assertRefusal(create, send(create, key), 429, "requests");
        assertThat(gateway.get("/v1/responses/" + id, "authorization", "Bearer " + key).statusCode())
                .as("a stored response stays readable with the key's requests used up").isEqualTo(200);
        assertThat(usage("free-paths").getLong("requests")).isEqualTo(2);
    }

    @Test
    void aStreamedResponsesRequestIsChargedForWhatItStreamed() {
        String key = key("stream-responses", "\"budget_usd\":{\"daily\":10}");
        HttpResponse<String> streamed = send(new Call("/v1/responses",
                "{\"model\":\"sim-cheap\",\"input\":\"Tell me a story\",\"stream\":true}", false), key);
        assertThat(streamed.statusCode()).isEqualTo(200);
        JsonObject completed = lastEventData(streamed.body(), "response.completed").getJsonObject("response");
        long outputTokens = completed.getJsonObject("usage").getLong("output_tokens");

        Eventually.await(Duration.ofSeconds(5), "the stream settled", () -> usage("stream-responses").getLong("requests") == 1);
        JsonObject usage = usage("stream-responses");
        assertThat(usage.getDouble("spend_usd")).isPositive();
        assertThat(usage.getJsonObject("tokens").getLong("completion")).isEqualTo(outputTokens).isPositive();
    }

    @Test
    void aStreamedMessagesRequestIsChargedForWhatItStreamed() {
        String key = key("stream-messages", "\"budget_usd\":{\"daily\":10}");
        HttpResponse<String> streamed = send(new Call("/v1/messages", "{\"model\":\"sim-cheap\",\"max_tokens\":200,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}", true), key);
        assertThat(streamed.statusCode()).isEqualTo(200);
        long outputTokens = lastEventData(streamed.body(), "message_delta").getJsonObject("usage").getLong("output_tokens");

        Eventually.await(Duration.ofSeconds(5), "the stream settled", () -> usage("stream-messages").getLong("requests") == 1);
        JsonObject usage = usage("stream-messages");
        assertThat(usage.getDouble("spend_usd")).isPositive();
        assertThat(usage.getJsonObject("tokens").getLong("completion")).isEqualTo(outputTokens).isPositive();
    }

    private static void assertRefusal(Call call, HttpResponse<String> refused, int status, String type) {
        assertRefusal(call, refused, status, type, true);
    }

    private static void assertRefusal(Call call, HttpResponse<String> refused, int status, String type, boolean retryAfter) {
        assertThat(refused.headers().firstValue("retry-after").isPresent()).as("%s Retry-After", call.path())
                .isEqualTo(retryAfter);
        if (call.anthropic()) {
            assertAnthropicError(refused, status, type);
        } else {
            assertError(refused, status, type);
        }
    }

    private static void assertAnthropicError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("type")).as(response.body()).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).as(response.body()).isEqualTo(type);
        assertThat(body.getJsonObject("error").getString("message")).isNotBlank();
    }

    /** The data of the last server-sent event named {@code name}. */
    private static JsonObject lastEventData(String stream, String name) {
        JsonObject found = null;
        for (String block : stream.split("\n\n")) {
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7).trim();
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name.equals(event) && data != null) {
                found = new JsonObject(data);
            }
        }
        assertThat(found).as("a %s event in %s", name, stream).isNotNull();
        return found;
    }

    private static HttpResponse<String> send(Call call, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + call.path()))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.anthropic()) {
            request.header("x-api-key", key).header("anthropic-version", "2023-06-01");
        } else {
            request.header("authorization", "Bearer " + key);
        }
        return gateway.send(request.build());
    }

    private static String key(String team, String policy) {
        HttpResponse<String> made = gateway.post("/admin/teams", "{\"id\":\"" + team + "\"," + policy + "}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        HttpResponse<String> key = gateway.post("/admin/keys", "{\"team\":\"" + team + "\"}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        return new JsonObject(key.body()).getString("key");
    }

    private static JsonObject usage(String team) {
        return new JsonObject(gateway.get("/admin/usage?team=" + team).body());
    }
}
