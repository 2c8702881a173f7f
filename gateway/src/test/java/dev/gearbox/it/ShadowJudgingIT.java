package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow judging through the real server, with WireMock playing the cheap tier ({@code small}), the reasoning
 * tier ({@code big}) and the judge, whose answers are recorded judges' ({@code fixtures/judge/}). The judge
 * plays a case per prompt: {@code case:reasoning} finds the reasoning tier's answer better wherever it stands,
 * {@code case:cheap} the cheap tier's, {@code case:biased} always the answer in position A; any other prompt is
 * a tie.
 */
@Timeout(120)
class ShadowJudgingIT {

    private static final String UPSTREAM_KEY = "sk-upstream-0123456789";
    private static final long SEED = 42;
    private static final int SAMPLED_REQUESTS = 200;
    private static final double SAMPLED_RATE = 0.25;
    private static final int SLOW_MS = 2000;

    @TempDir
    static Path rules;
    private static WireMockServer upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        stubs(upstream);
        Files.writeString(rules.resolve("models.yaml"), MODELS);
        Files.writeString(rules.resolve("routes.yaml"), ROUTES);
        gateway = TestGateway.start(config("daily_budget_usd: 10"), Map.of("UPSTREAM_KEY", UPSTREAM_KEY),
                new SplittableRandom(SEED));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(gateway);
        upstream.stop();
    }

    @Test
    void samplesARoutesShareOfRequestsWithinStatisticalBounds() {
        for (int i = 0; i < SAMPLED_REQUESTS; i++) {
            assertThat(ask(gateway, "sampled", "sample " + i, false).statusCode()).isEqualTo(200);
        }
        // The same seeded source, drawn once per request of the sampled route, in order.
        SplittableRandom replay = new SplittableRandom(SEED);
        int expected = 0;
        for (int i = 0; i < SAMPLED_REQUESTS; i++) {
            expected += replay.nextDouble() < SAMPLED_RATE ? 1 : 0;
        }
        int drawn = expected;

        Eventually.await(Duration.ofSeconds(30), drawn + " verdicts on the sampled route",
                () -> verdicts(route("sampled")) == drawn);
        double mean = SAMPLED_REQUESTS * SAMPLED_RATE;
        double sd = Math.sqrt(SAMPLED_REQUESTS * SAMPLED_RATE * (1 - SAMPLED_RATE));
        assertThat((double) drawn).as("shadows of %d requests at rate %s", SAMPLED_REQUESTS, SAMPLED_RATE)
                .isBetween(mean - 4 * sd, mean + 4 * sd);
        assertThat(upstream.findAll(toModel("big").withRequestBody(containing("sample ")))).hasSize(drawn);
        assertThat(upstream.findAll(toModel("judge").withRequestBody(containing("sample ")))).hasSize(2 * drawn);
    }

    @Test
    void theClientGetsTheSameAnswerAtOnceWhileItsShadowTakesSeconds() {
        for (boolean stream : new boolean[] {false, true}) {
            String prompt = "case:slow what is 6 x 7? " + (stream ? "streamed" : "whole");
            HttpResponse<String> plain = ask(gateway, "default", prompt, stream);
            long start = System.nanoTime();
            HttpResponse<String> shadowed = ask(gateway, "judged", prompt, stream);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(shadowed.statusCode()).isEqualTo(200);
            assertThat(shadowed.body()).as("the answer with its shadow").isEqualTo(plain.body());
            assertThat(tookMs).as("the client's wait, while the reasoning tier takes " + SLOW_MS + " ms").isLessThan(SLOW_MS / 2);
            String id = shadowed.headers().firstValue("x-request-id").orElseThrow();
            Eventually.await(Duration.ofSeconds(20), "the shadow of " + id, () -> label(id) != null);
            assertThat(label(id).getString("verdict")).isEqualTo("tie");
        }
    }

    @Test
    void combinesTheJudgementsOfSwappedPositionsAndTheMetersAndAdminAgree() {
        JsonObject before = routes();
        Map<String, Double> metersBefore = verdictMeters();
        Map<String, String> expected = new HashMap<>();
        expected.put(id(ask(gateway, "judged", "case:reasoning is 91 prime?", false)), "reasoning_better");
        expected.put(id(ask(gateway, "judged", "case:reasoning streamed: is 91 prime?", true)), "reasoning_better");
        expected.put(id(ask(gateway, "judged", "case:cheap say hello", false)), "cheap_better");
        expected.put(id(ask(gateway, "judged", "case:biased which is better?", false)), "tie");
        expected.put(id(ask(gateway, "hard", "case:cheap prove it", false)), "cheap_better");

        Eventually.await(Duration.ofSeconds(30), "five verdicts", () -> expected.keySet().stream().allMatch(i -> label(i) != null));
        expected.forEach((id, verdict) -> {
            JsonObject label = label(id);
            assertThat(label.getString("verdict")).as(id).isEqualTo(verdict);
            assertThat(label.getString("judge_model")).isEqualTo("judge");
            assertThat(label.getString("judge_prompt")).isEqualTo("v1");
            assertThat(label.getDouble("label")).isEqualTo(verdict.equals("reasoning_better") ? 1 : verdict.equals("tie") ? 0.5 : 0);
        });
        JsonObject hard = label(expected.keySet().stream().filter(i -> label(i).getString("route").equals("judged-hard"))
                .findFirst().orElseThrow());
        assertThat(hard.getString("tier")).isEqualTo("reasoning");
        assertThat(hard.getString("model")).isEqualTo("big");
        assertThat(hard.getString("shadow_model")).isEqualTo("small");
        // Each sample was judged twice, its answers swapped between A and B.
        List<LoggedRequest> judged = upstream.findAll(toModel("judge").withRequestBody(containing("case:cheap say hello")));
        assertThat(judged).hasSize(2);
        assertThat(judged).extracting(r -> new JsonObject(r.getBodyAsString()).getJsonArray("messages").getJsonObject(1)
                .getString("content").contains("[A]\nsmall says")).containsExactlyInAnyOrder(true, false);

        JsonObject after = routes();
        Map<String, Double> metersAfter = verdictMeters();
        assertThat(delta(before, after, "judged")).containsExactly(1L, 1L, 2L);
        assertThat(delta(before, after, "judged-hard")).containsExactly(1L, 0L, 0L);
        assertThat(metersAfter.getOrDefault("judged|cheap|reasoning_better", 0.0)
                - metersBefore.getOrDefault("judged|cheap|reasoning_better", 0.0)).isEqualTo(2.0);
        assertThat(metersAfter.getOrDefault("judged|cheap|cheap_better", 0.0)
                - metersBefore.getOrDefault("judged|cheap|cheap_better", 0.0)).isEqualTo(1.0);
        assertThat(metersAfter.getOrDefault("judged-hard|reasoning|cheap_better", 0.0)
                - metersBefore.getOrDefault("judged-hard|reasoning|cheap_better", 0.0)).isEqualTo(1.0);
        assertThat(route("judged").getDouble("shadow_spend_usd")).isGreaterThan(0);
        assertThat(gateway.get("/metrics").body()).contains("gearbox_quality_shadow_cost_usd_total{route=\"judged\"}");
    }

    @Test
    void neitherSamplesWhatTheJudgeCannotCompareNorKeepsText() {
        HttpResponse<String> cut = ask(gateway, "judged", "case:cut tell me a story", true);
        assertThat(cut.body()).doesNotContain("[DONE]");
        HttpResponse<String> embedded = gateway.post("/v1/embeddings", new JsonObject().put("model", "emb")
                .put("input", "case:embed some text").encode());
        assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
        String after = id(ask(gateway, "judged", "case:cheap after the cut", false));

        Eventually.await(Duration.ofSeconds(20), "the shadow after them", () -> label(after) != null);
        assertThat(upstream.findAll(toModel("big").withRequestBody(containing("case:cut")))).isEmpty();
        assertThat(upstream.findAll(toModel("judge").withRequestBody(containing("case:embed")))).isEmpty();
        assertThat(label(after).containsKey("messages")).isFalse();
        assertThat(label(after).containsKey("shadow_answer")).isFalse();
        assertThat(label(after).encode()).doesNotContain("after the cut").doesNotContain("small says");
    }

    @Test
    void neitherShadowsNorKeepsTheTextOfARequestOf256KiBOrMore() {
        String longDocument = "case:cheap long-document " + "word ".repeat(53_000);
        String id = id(ask(gateway, "kept", longDocument, false));
        String after = id(ask(gateway, "kept", "case:cheap after the long one", false));

        Eventually.await(Duration.ofSeconds(20), "the shadow after it", () -> label(after) != null);
        assertThat(upstream.findAll(toModel("big").withRequestBody(containing("long-document")))).isEmpty();
        assertThat(upstream.findAll(toModel("judge").withRequestBody(containing("long-document")))).isEmpty();
        assertThat(label(id)).as("no verdict for the long request").isNull();
    }

    @Test
    void keepsTheTextOfARouteThatOptsIn() {
        String id = id(ask(gateway, "kept", "case:cheap keep my words", false));

        Eventually.await(Duration.ofSeconds(20), "the verdict", () -> label(id) != null);
        JsonObject label = label(id);
        assertThat(label.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("case:cheap keep my words");
        assertThat(label.getString("answer")).isEqualTo("small says: 42.");
        assertThat(label.getString("shadow_answer")).isEqualTo("big says: 42.");
    }

    @Test
    void judgesAStreamedToolCallOnItsAssembledAnswer() {
        JsonObject request = new JsonObject().put("model", "auto").put("stream", true)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "case:tool look up 91")))
                .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
                        .put("name", "lookup").put("parameters", new JsonObject().put("type", "object")))));
        String id = id(gateway.post("/v1/chat/completions", request.encode(), "x-route", "judged"));

        Eventually.await(Duration.ofSeconds(20), "the verdict on the tool call", () -> label(id) != null);
        List<LoggedRequest> judged = upstream.findAll(toModel("judge").withRequestBody(containing("case:tool")));
        assertThat(judged).hasSize(2).allSatisfy(r -> assertThat(new JsonObject(r.getBodyAsString()).getJsonArray("messages")
                .getJsonObject(1).getString("content"))
                .contains("(calls tool lookup with arguments {\"q\":\"91\"})")
                .contains("(calls tool lookup with arguments {\"q\":\"91 factors\"})")
                .contains("tools offered: [{\"type\":\"function\""));
    }

    @Test
    void shadowsOnlyOnModelsTheCallersKeyMayUse() {
        String limited = "sk-cheap-only-0123456789";
        try (TestGateway keyed = TestGateway.start(config("daily_budget_usd: 10",
                ", api_keys: [{key: \"${LIMITED}\", tenant: frugal, models: [cheap, auto]}]"),
                Map.of("UPSTREAM_KEY", UPSTREAM_KEY, "LIMITED", limited))) {
            HttpResponse<String> answer = keyed.post("/v1/chat/completions", new JsonObject().put("model", "auto")
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "case:limited hi")))
                    .encode(), "x-route", "judged", "authorization", "Bearer " + limited);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

            Eventually.await(Duration.ofSeconds(20), "the shadow refused for the key's models", () -> keyed.get("/metrics").body()
                    .matches("(?s).*gearbox_quality_shadow_skipped_total\\{reason=\"not_allowed\"} 1(\\.0)?\n.*"));
            assertThat(upstream.findAll(toModel("big").withRequestBody(containing("case:limited")))).isEmpty();
        }
    }

    @Test
    void theDailyBudgetStopsShadowingAndAMeterSaysSo() {
        // Each shadow costs more than it was estimated at ($1.80 for the reasoning tier's 100,000 tokens): the
        // first fits the dollar, and leaves no room for a second.
        try (TestGateway budgeted = TestGateway.start(config("daily_budget_usd: 1"), Map.of("UPSTREAM_KEY", UPSTREAM_KEY))) {
            String first = id(ask(budgeted, "judged", "case:pricey first", false));
            Eventually.await(Duration.ofSeconds(20), "the first shadow's verdict", () -> labels(budgeted).contains(first));
            String metrics = budgeted.get("/metrics").body();
            assertThat(metrics).containsPattern("gearbox_quality_shadow_budget_exhausted 0(\\.0)?\n");

            ask(budgeted, "judged", "case:pricey second", false);

            Eventually.await(Duration.ofSeconds(20), "the budget refusing the second", () -> budgeted.get("/metrics").body()
                    .matches("(?s).*gearbox_quality_shadow_skipped_total\\{reason=\"budget\"} 1(\\.0)?\n.*"));
            assertThat(budgeted.get("/metrics").body()).containsPattern("gearbox_quality_shadow_budget_exhausted 1(\\.0)?\n")
                    .containsPattern("gearbox_quality_shadow_budget_remaining_usd 0(\\.0)?\n");
            assertThat(upstream.findAll(toModel("big").withRequestBody(containing("case:pricey second")))).isEmpty();
            JsonObject shadow = new JsonObject(budgeted.get("/admin/quality").body()).getJsonObject("shadow");
            assertThat(shadow.getDouble("spent_today_usd")).isGreaterThan(1.8);
        }
    }

    private static HttpResponse<String> ask(TestGateway to, String route, String prompt, boolean stream) {
        return to.post("/v1/chat/completions", new JsonObject().put("model", "auto").put("stream", stream)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode(),
                "x-route", route);
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("x-request-id").orElseThrow();
    }

    private static String labels(TestGateway from) {
        return from.get("/admin/quality/labels").body();
    }

    /** The label of a request, or null before its verdict. */
    private static JsonObject label(String requestId) {
        for (String line : labels(gateway).split("\n")) {
            if (!line.isBlank() && new JsonObject(line).getString("request_id").equals(requestId)) {
                return new JsonObject(line);
            }
        }
        return null;
    }

    private static JsonObject routes() {
        return new JsonObject(gateway.get("/admin/quality").body());
    }

    private static JsonObject route(String name) {
        return route(routes(), name);
    }

    private static JsonObject route(JsonObject routes, String name) {
        for (Object r : routes.getJsonArray("routes")) {
            if (((JsonObject) r).getString("route").equals(name)) {
                return (JsonObject) r;
            }
        }
        return new JsonObject().put("verdicts", new JsonObject().put("cheap_better", 0).put("tie", 0).put("reasoning_better", 0));
    }

    private static long verdicts(JsonObject route) {
        JsonObject v = route.getJsonObject("verdicts");
        return v.getLong("cheap_better") + v.getLong("tie") + v.getLong("reasoning_better");
    }

    /** The verdicts a route gained, as cheap_better, tie, reasoning_better. */
    private static List<Long> delta(JsonObject before, JsonObject after, String name) {
        JsonObject b = route(before, name).getJsonObject("verdicts");
        JsonObject a = route(after, name).getJsonObject("verdicts");
        List<Long> out = new ArrayList<>();
        for (String v : List.of("cheap_better", "tie", "reasoning_better")) {
            out.add(a.getLong(v) - b.getLong(v));
        }
        return out;
    }

    /** The verdict counters of /metrics, by route|tier|verdict. */
    private static Map<String, Double> verdictMeters() {
        Map<String, Double> out = new HashMap<>();
        Matcher m = Pattern.compile("gearbox_quality_verdicts_total\\{route=\"([^\"]+)\",tier=\"([^\"]+)\",verdict=\"([^\"]+)\"} (\\S+)")
                .matcher(gateway.get("/metrics").body());
        while (m.find()) {
            out.put(m.group(1) + "|" + m.group(2) + "|" + m.group(3), Double.parseDouble(m.group(4)));
        }
        return out;
    }

    private static RequestPatternBuilder toModel(String model) {
        return postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(model)));
    }

    private static String config(String budget) {
        return config(budget, "");
    }

    private static String config(String budget, String server) {
        return """
                server: {host: 127.0.0.1, port: 0, event_loops: 2%s}
                providers:
                  upstream: {type: openai, base_url: "http://127.0.0.1:%d/v1", api_key: "${UPSTREAM_KEY}"}
                rules: {directory: "%s"}
                resilience:
                  defaults: {max_attempts: 1}
                quality:
                  shadow: {sample_rate: 1, judge_model: judge, %s, swap_positions: true}
                """.formatted(server, upstream.port(), rules, budget);
    }

    private static final String MODELS = """
            models:
              - {id: small, provider: upstream, tier: cheap, price: {input: 0.15, output: 0.60},
                 capabilities: [tools, json_mode], expected_output_tokens: 50}
              - {id: big, provider: upstream, tier: reasoning, price: {input: 4.50, output: 18.00},
                 capabilities: [tools, json_mode, reasoning], expected_output_tokens: 50, expected_reasoning_tokens: 100}
              - {id: judge, provider: upstream, tier: strong, price: {input: 2.50, output: 10.00},
                 capabilities: [json_mode], expected_output_tokens: 10}
              - {id: emb, provider: upstream, kind: embeddings, price: {input: 0.02, output: 0}}
            """;

    /** Every route but the default shadows all it answers; the sampled one a share. */
    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - name: sampled
                when: {header: {x-route: sampled}}
                then: {tier: cheap}
                quality: {shadow: {sample_rate: 0.25}}
              - name: judged
                when: {header: {x-route: judged}}
                then: {tier: cheap}
              - name: judged-hard
                when: {header: {x-route: hard}}
                then: {tier: reasoning}
              - name: kept
                when: {header: {x-route: kept}}
                then: {tier: cheap}
                quality: {store_text: true}
              - name: default
                then: {tier: cheap}
                quality: {shadow: {sample_rate: 0}}
            """;

    private static void stubs(WireMockServer upstream) {
        upstream.stubFor(chat("small").willReturn(json(answer("small", "small says: 42."))));
        upstream.stubFor(chat("small").withRequestBody(matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("true"))).atPriority(2)
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(stream(true))));
        upstream.stubFor(chat("small").withRequestBody(matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("true")))
                .withRequestBody(containing("case:cut")).atPriority(1)
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(stream(false))));
        upstream.stubFor(chat("big").willReturn(json(answer("big", "big says: 42."))));
        upstream.stubFor(chat("small").withRequestBody(containing("case:tool")).atPriority(1)
                .willReturn(aResponse().withHeader("content-type", "text/event-stream").withBody(toolStream())));
        upstream.stubFor(chat("big").withRequestBody(containing("case:tool")).atPriority(1).willReturn(json(answer("big", null)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "tool_calls")
                        .put("message", new JsonObject().put("role", "assistant").putNull("content").put("tool_calls",
                                new JsonArray().add(new JsonObject().put("id", "call_b").put("type", "function")
                                        .put("function", new JsonObject().put("name", "lookup")
                                                .put("arguments", "{\"q\":\"91 factors\"}"))))))))));
        upstream.stubFor(chat("big").withRequestBody(containing("case:slow")).atPriority(1)
                .willReturn(json(answer("big", "big says: 42.")).withFixedDelay(SLOW_MS)));
        upstream.stubFor(chat("big").withRequestBody(containing("case:pricey")).atPriority(1)
                .willReturn(json(answer("big", "big says: 42.").put("usage", new JsonObject().put("prompt_tokens", 20)
                        .put("completion_tokens", 100_000).put("total_tokens", 100_020)))));
        upstream.stubFor(chat("judge").willReturn(verdict("winner-tie.json")));
        judge("case:reasoning", "[A]\\nbig says", "winner-a.json", "[B]\\nbig says", "reasoning-judge-b.json");
        judge("case:cheap", "[A]\\nsmall says", "winner-a.json", "[B]\\nsmall says", "winner-b.json");
        upstream.stubFor(chat("judge").withRequestBody(containing("case:biased")).atPriority(1)
                .willReturn(verdict("winner-a.json")));
        upstream.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(json(new JsonObject().put("object", "list")
                .put("model", "emb").put("data", new JsonArray().add(new JsonObject().put("object", "embedding").put("index", 0)
                        .put("embedding", new JsonArray().add(0.1).add(0.2))))
                .put("usage", new JsonObject().put("prompt_tokens", 4).put("total_tokens", 4)))));
    }

    /**
     * A judge that finds one answer better in whichever position it stands: {@code inA} and {@code inB} are how the
     * judge's request body (JSON, its newlines escaped) shows it in either position.
     */
    private static void judge(String prompt, String inA, String a, String inB, String b) {
        upstream.stubFor(chat("judge").withRequestBody(containing(prompt)).withRequestBody(containing(inA))
                .atPriority(1).willReturn(verdict(a)));
        upstream.stubFor(chat("judge").withRequestBody(containing(prompt)).withRequestBody(containing(inB))
                .atPriority(1).willReturn(verdict(b)));
    }

    private static MappingBuilder chat(String model) {
        return post(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(model))).atPriority(5);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder verdict(String fixture) {
        return aResponse().withHeader("content-type", "application/json").withBody(Fixtures.text("judge/" + fixture));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(JsonObject body) {
        return aResponse().withHeader("content-type", "application/json").withBody(body.encode());
    }

    private static JsonObject answer(String model, String content) {
        return new JsonObject().put("id", "chatcmpl-" + model).put("object", "chat.completion").put("created", 1765100000)
                .put("model", model).put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 6).put("total_tokens", 26));
    }

    /** A streamed tool call, its arguments in two pieces, as OpenAI streams them. */
    private static String toolStream() {
        String head = "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1765100000,\"model\":\"small\",";
        return "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
                + "[{\"index\":0,\"id\":\"call_s\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]},"
                + "\"finish_reason\":null}]}\n\n"
                + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                + "{\"arguments\":\"{\\\"q\\\":\"}}]},\"finish_reason\":null}]}\n\n"
                + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                + "{\"arguments\":\"\\\"91\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
                + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                + "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":9,\"total_tokens\":39}}\n\n"
                + "data: [DONE]\n\n";
    }

    private static String stream(boolean whole) {
        String head = "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1765100000,\"model\":\"small\",";
        StringBuilder out = new StringBuilder()
                .append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n")
                .append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"small says: 42.\"},\"finish_reason\":null}]}\n\n");
        if (whole) {
            out.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
                    .append("data: ").append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":6,\"total_tokens\":26}}\n\n")
                    .append("data: [DONE]\n\n");
        }
        return out.toString();
    }
}
