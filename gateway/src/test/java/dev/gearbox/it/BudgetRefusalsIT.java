package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A budget refusal says what the request must hold and why (its most possible cost, from the prompt's bytes,
 * the output limit and the model priced), with amounts in their own digits, and a Retry-After that helps:
 * none when the request can never fit, a second while requests in flight hold the room, the reset when the
 * spend does.
 */
@Timeout(60)
class BudgetRefusalsIT {

    /** An hour before midnight UTC, when daily budgets reset. */
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2027-03-01T23:00:00Z"));
    private static Vertx vertx;
    private static HttpServer upstream;
    private static TestGateway gateway;
    private static volatile CompletableFuture<HttpServerResponse> held = new CompletableFuture<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        // A model that answers only when the test lets it, so a request stays in flight as long as needed.
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> held.complete(req.response())))
                .listen(0, "127.0.0.1").await();
        gateway = TestGateway.start(TestGateway.simulatedConfig("").replace("providers:\n", """
                providers:
                  ctl: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                """.formatted(upstream.actualPort())).replace("models:\n", """
                models:
                  - {id: held, provider: ctl, price: {input: 1, output: 2}}
                """), Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().await();
    }

    @Test
    void aFirstCallWhoseMostPossibleCostIsOverTheBudgetSaysWhatItMustHoldAndThatItCanNeverFit() {
        String key = teamKey("fresh", 0.0002);

        HttpResponse<String> refused = chat(key, "{\"model\":\"sim-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        String message = assertError(refused, 429, "insufficient_quota").getString("message");
        assertThat(message).contains("Team 'fresh' has a daily budget of $0.0002, and this request must hold $0.07")
                .containsPattern("must hold \\$0\\.07\\d+, its most possible cost")
                .contains("prompt tokens at most (one per byte sent upstream)")
                .contains("4,096 output tokens (no max_tokens was set, so the gateway sends its default limit upstream)")
                .contains("at sim-reasoning's prices")
                .contains("It can never fit this budget");
        assertThat(refused.headers().firstValue("retry-after")).as("waiting cannot help").isEmpty();
    }

    @Test
    void aBudgetOfATenthOfAMicrodollarIsPrintedWithItsDigits() {
        String key = teamKey("tiny", 1e-7);

        String message = assertError(chat(key, body("sim-cheap")), 429, "insufficient_quota").getString("message");

        assertThat(message).contains("daily budget of $0.0000001").doesNotContain("$0.000000 ");
    }

    @Test
    void aBudgetHeldByARequestInFlightSaysToRetryInASecond() throws Exception {
        // One request's most possible cost, about $0.0002, fits; two do not.
        String key = teamKey("in-flight", 0.0003);
        held = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> first = TestGateway.http().sendAsync(request(key, body("held")),
                HttpResponse.BodyHandlers.ofString());
        HttpServerResponse upstreamResponse = held.get(10, TimeUnit.SECONDS);

        HttpResponse<String> refused = chat(key, body("held"));
        upstreamResponse.putHeader("content-type", "application/json").end(new JsonObject().put("id", "c").put("object",
                "chat.completion").put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0)
                .put("message", new JsonObject().put("role", "assistant").put("content", "done")).put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 1)).encode());

        String message = assertError(refused, 429, "insufficient_quota").getString("message");
        assertThat(message).containsPattern("\\$0\\.000\\d+ held by requests in flight").contains("It fits once requests in flight settle");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aBudgetTheSpendHasReachedSaysToRetryWhenItResets() {
        // A request holds about $0.00004 and spends about $0.00003: the first fits, the second no longer does.
        String key = teamKey("spent", 0.00006);
        assertThat(chat(key, body("sim-cheap")).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = chat(key, body("sim-cheap"));

        assertThat(assertError(refused, 429, "insufficient_quota").getString("message"))
                .contains("$0 held by requests in flight").contains("it resets at 2027-03-02T00:00:00Z");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("3600");
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    }

    private static HttpResponse<String> chat(String key, String body) {
        return gateway.send(request(key, body));
    }

    private static HttpRequest request(String key, String body) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String teamKey(String team, double daily) {
        assertThat(gateway.post("/admin/teams", "{\"id\":\"" + team + "\",\"budget_usd\":{\"daily\":" + daily + "}}")
                .statusCode()).isEqualTo(201);
        return new JsonObject(gateway.post("/admin/keys", "{\"team\":\"" + team + "\"}").body()).getString("key");
    }
}
