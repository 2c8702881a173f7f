package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The response cache through the real server, with WireMock counting what reaches upstream. */
@Timeout(60)
class CacheIT {

    private static final String UP = "/v1/chat/completions";
    private static final String KEY_A = "Bearer key-a";
    private static final String KEY_B = "Bearer key-b";

    @TempDir
    static Path rules;
    private static WireMockServer upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2) + """
                  - {id: w, provider: up}
                  - {id: w-fail, provider: up}
                  - {id: w-cut, provider: up}
                """);
        Files.writeString(rules.resolve("routes.yaml"), """
                aliases: [auto, uncached]
                routes:
                  - name: uncached
                    when: {model: uncached}
                    then: {models: [w], cache: false}
                  - name: default
                    then: {tier: cheap}
                """);
        gateway = TestGateway.start("""
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 2
                  api_keys:
                    - {key: "${KEY_A}", tenant: team-a}
                    - {key: "${KEY_B}", tenant: team-b}
                providers:
                  up: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                  sim: {type: simulated}
                rules: {directory: "%s"}
                cache: {max_bytes: 40000, ttl_seconds: 600}
                """.formatted(upstream.port(), rules), Map.of("KEY_A", "key-a", "KEY_B", "key-b"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(post(UP).withRequestBody(matchingJsonPath("$.stream", equalTo("true"))).atPriority(5)
                .willReturn(sse(Fixtures.text("openai/chat-completion-stream.sse"))));
        upstream.stubFor(post(UP).atPriority(9).willReturn(json(Fixtures.text("openai/chat-completion.json"))));
        gateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + "/admin/cache"))
                .DELETE().build());
    }

    @Test
    void aRepeatedDeterministicRequestIsAnsweredFromTheCacheAtNoCost() {
        HttpResponse<String> first = chat(KEY_A, body("w", "capital?", false));
        HttpResponse<String> second = chat(KEY_A, body("w", "capital?", false));

        assertThat(first.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(second.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(second.headers().firstValue("x-gearbox-cost-usd")).hasValue("0");
        assertThat(second.body()).isEqualTo(first.body());
        upstream.verify(1, postRequestedFor(urlEqualTo(UP)));
    }

    @Test
    void tenantsNeverShareAnEntry() {
        chat(KEY_A, body("w", "secret plans", false));
        HttpResponse<String> other = chat(KEY_B, body("w", "secret plans", false));

        assertThat(other.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        upstream.verify(2, postRequestedFor(urlEqualTo(UP)));
    }

    @Test
    void aStreamIsReplayedAsJsonAndJsonAsAStreamBothEqualToTheOriginal() {
        HttpResponse<String> streamed = chat(KEY_A, body("w", "stream first", true));
        HttpResponse<String> asJson = chat(KEY_A, body("w", "stream first", false));
        HttpResponse<String> json = chat(KEY_A, body("w", "json first", false));
        HttpResponse<String> asStream = chat(KEY_A, body("w", "json first", true));

        assertThat(asJson.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(asStream.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(asStream.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(content(new JsonObject(asJson.body()))).isEqualTo(streamedText(streamed.body()));
        assertThat(streamedText(asStream.body())).isEqualTo(content(new JsonObject(json.body())));
        assertThat(asStream.body()).endsWith("data: [DONE]\n\n");
        upstream.verify(2, postRequestedFor(urlEqualTo(UP)));
    }

    @Test
    void concurrentIdenticalRequestsShareOneUpstreamCall() throws Exception {
        upstream.stubFor(post(UP).atPriority(1).withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("together")))
                .willReturn(json(Fixtures.text("openai/chat-completion.json")).withFixedDelay(800)));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> chat(KEY_A, body("w", "together", false)), clients));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        upstream.verify(1, postRequestedFor(urlEqualTo(UP)));
    }

    @Test
    void neverCachesErrorsOrCutStreams() {
        upstream.stubFor(post(UP).atPriority(1).withRequestBody(matchingJsonPath("$.model", equalTo("w-fail")))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody(Fixtures.text("openai/error-400-bad-tool.json"))));
        String sse = Fixtures.text("openai/chat-completion-stream.sse");
        upstream.stubFor(post(UP).atPriority(1).withRequestBody(matchingJsonPath("$.model", equalTo("w-cut")))
                .willReturn(sse(sse.substring(0, sse.indexOf(" France")) + "\n\n")));

        chat(KEY_A, body("w-fail", "q", false));
        HttpResponse<String> again = chat(KEY_A, body("w-fail", "q", false));
        chat(KEY_A, body("w-cut", "q", true));
        HttpResponse<String> cutAgain = chat(KEY_A, body("w-cut", "q", true));

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(cutAgain.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        upstream.verify(4, postRequestedFor(urlEqualTo(UP)));
    }

    @Test
    void onlyDeterministicRequestsUnlessForcedAndHeadersCanSkipLookupOrStore() {
        JsonObject creative = body("w", "poem", false).put("temperature", 0.9);
        assertThat(chat(KEY_A, creative).headers().firstValue("x-gearbox-cache")).hasValue("bypass");
        assertThat(chat(KEY_A, body("uncached", "q", false)).headers().firstValue("x-gearbox-cache")).hasValue("bypass");

        chat(KEY_A, creative, "x-gearbox-cache", "force");
        assertThat(chat(KEY_A, creative, "x-gearbox-cache", "force").headers().firstValue("x-gearbox-cache")).hasValue("hit");

        JsonObject seeded = body("w", "seeded", false);
        seeded.remove("temperature");
        seeded.put("seed", 42);
        chat(KEY_A, seeded, "cache-control", "no-store");
        assertThat(chat(KEY_A, seeded).headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(chat(KEY_A, seeded, "cache-control", "no-cache").headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(chat(KEY_A, seeded).headers().firstValue("x-gearbox-cache")).hasValue("hit");
    }

    @Test
    void evictsUnderTheByteBoundAndTheAdminEndpointsShowAndClear() {
        for (int i = 0; i < 40; i++) {
            chat(KEY_A, body("w", "question " + i, false));
        }

        JsonObject stats = new JsonObject(gateway.get("/admin/cache").body());
        assertThat(stats.getLong("bytes")).isLessThanOrEqualTo(40_000L);
        assertThat(stats.getLong("entries")).isBetween(1L, 39L);
        assertThat(stats.getDouble("hit_ratio")).isBetween(0.0, 1.0);

        JsonObject cleared = new JsonObject(gateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.baseUrl() + "/admin/cache?model=w")).DELETE().build()).body());
        assertThat(cleared.getLong("removed")).isEqualTo(stats.getLong("entries"));
        assertThat(cleared.getLong("entries")).isZero();
    }

    private static HttpResponse<String> chat(String key, JsonObject body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "authorization";
        all[1] = key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return gateway.post("/v1/chat/completions", body.encode(), all);
    }

    private static JsonObject body(String model, String prompt, boolean stream) {
        return new JsonObject().put("model", model).put("temperature", 0).put("stream", stream)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
    }

    private static String content(JsonObject completion) {
        return completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    }

    private static String streamedText(String sse) {
        StringBuilder out = new StringBuilder();
        sse.lines().filter(l -> l.startsWith("data: {")).map(l -> new JsonObject(l.substring(6)))
                .forEach(chunk -> chunk.getJsonArray("choices").forEach(c -> {
                    Object content = ((JsonObject) c).getJsonObject("delta").getValue("content");
                    if (content instanceof String s) {
                        out.append(s);
                    }
                }));
        return out.toString();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("content-type", "text/event-stream").withBody(body);
    }
}
