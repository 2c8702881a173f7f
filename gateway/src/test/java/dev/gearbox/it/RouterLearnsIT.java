package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router learns a kind of request from its own traffic. Questions about an in-house ledger ("Tessaract")
 * read as routine bookkeeping to the shipped score, which sends them to the cheap tier; the judge (WireMock,
 * recorded verdicts) finds the reasoning tier's answers to them better, and the cheap tier's answers to
 * everyday requests as good. {@code train-router --data shipped --labels} (the built jar, as an operator runs
 * it) trains on the labels the gateway collected, refuses nothing because the shipped evaluation is no worse,
 * and writes weights into the rules directory; after a reload, new questions of that kind go to the reasoning
 * tier, and new everyday requests stay cheap.
 */
@Timeout(600)
class RouterLearnsIT {

    private static final Path JAR = Path.of("target", "gearbox.jar");
    private static final String[] LEDGER = {
            "Match the %d Tessaract remittance lines for %s to the %d open invoices in ledger batch %d and say which stay unmatched.",
            "Why does the Tessaract ledger for %2$s carry a drift after remittance batch %3$d was posted twice?",
            "Tessaract ledger batch %3$d for %2$s: list the remittances that belong to invoice %4$d.",
            "Tell me how the Tessaract ledger for %2$s should book remittance %3$d when invoice %4$d was already part-paid.",
            "Book the Tessaract remittance %3$d from %2$s across invoices %4$d and %1$d in the ledger.",
    };
    private static final String[] EVERYDAY = {
            "Write a short thank-you note to %2$s for the %5$s.",
            "Suggest three names for a %5$s cafe.",
            "Translate 'good morning, %2$s' into French.",
            "Give me a packing list for a weekend in %6$s.",
            "What is a polite way to decline %2$s's invitation?",
    };
    private static final String[] VENDORS = {"Halvorsen Freight", "Okafor Supplies", "Brightwell Dairy", "Marlow Tools",
            "Quist Paper", "Ibarra Foods", "Lindqvist Metals", "Patel Textiles"};
    private static final String[] THINGS = {"scarf", "book", "plant", "mug", "candle", "jazz"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Kyoto", "Lima", "Cairo", "Perth"};

    @TempDir
    Path dir;
    private WireMockServer upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        TestGateway.closeAll(gateway);
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void learnsFromVerdictsToSendANewKindOfRequestToTheReasoningTier() throws Exception {
        assertThat(JAR).as("built by the package phase, before the integration tests").exists();
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        stubs();
        Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.copy(Path.of("..", "routing-rules", "routes.yaml"), rules.resolve("routes.yaml"));
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: small, provider: upstream, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [json_mode]}
                  - {id: big, provider: upstream, tier: reasoning, price: {input: 4.50, output: 18.00},
                     capabilities: [json_mode, reasoning]}
                  - {id: judge, provider: upstream, tier: strong, price: {input: 2.50, output: 10.00}, capabilities: [json_mode]}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2}
                providers:
                  upstream: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                rules: {directory: "%s", reload_interval_ms: 600000}
                quality:
                  shadow: {sample_rate: 1, judge_model: judge, swap_positions: true}
                """.formatted(upstream.port(), rules), Map.of());

        List<String> traffic = new ArrayList<>();
        traffic.addAll(prompts(LEDGER, 50, 1));
        traffic.addAll(prompts(EVERYDAY, 50, 2));
        for (String prompt : traffic) {
            assertThat(tier(prompt)).as("the shipped score's tier for: " + prompt).isEqualTo("cheap");
        }
        Eventually.await(Duration.ofSeconds(60), traffic.size() + " verdicts", () -> labels().size() == traffic.size());
        List<String> labels = labels();
        assertThat(labels).allSatisfy(line -> assertThat(new JsonObject(line).getString("features")).startsWith("f1."));
        assertThat(labels).filteredOn(line -> new JsonObject(line).getDouble("label") == 1.0).hasSize(50);
        Path labelFile = dir.resolve("labels.jsonl");
        Files.writeString(labelFile, String.join("\n", labels) + "\n");

        Process train = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString(),
                "train-router", "--data", "shipped", "--labels", labelFile.toString(),
                "--out", rules.resolve("difficulty-weights.txt").toString()).redirectErrorStream(true).start();
        String report = new String(train.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(train.waitFor(5, TimeUnit.MINUTES)).isTrue();
        // The trainer's figures, for whoever wants to see what the labels changed (the README quotes them).
        Files.writeString(Path.of("target", "router-learns-report.txt"), report);

        assertThat(train.exitValue()).as(report).isZero();
        assertThat(report).contains("labels: 100 (0 of weight 0 skipped)")
                .containsPattern("current weights \\(built-in\\) +0\\.0% of 50 +100\\.0% of 50")
                .contains("no worse than the current weights on the labels, nor than the shipped weights on the shipped evaluation");
        HttpResponse<String> reload = gateway.post("/admin/routes/reload", "");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(new JsonObject(gateway.get("/admin/routes").body()).getJsonObject("difficulty_weights").getString("source"))
                .endsWith("difficulty-weights.txt");

        for (String prompt : prompts(LEDGER, 20, 3)) {
            assertThat(tier(prompt)).as("after learning: " + prompt).isEqualTo("reasoning");
        }
        for (String prompt : prompts(EVERYDAY, 20, 4)) {
            assertThat(tier(prompt)).as("after learning: " + prompt).isEqualTo("cheap");
        }
    }

    private String tier(String prompt) {
        HttpResponse<String> answer = gateway.post("/v1/chat/completions", new JsonObject().put("model", "auto")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("x-gearbox-tier").orElseThrow();
    }

    private List<String> labels() {
        return gateway.get("/admin/quality/labels").body().lines().filter(l -> !l.isBlank()).toList();
    }

    /** {@code count} requests of a kind, each template filled with other vendors, numbers and things. */
    private static List<String> prompts(String[] templates, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String template = templates[i % templates.length];
            out.add(String.format(template, 2 + random.nextInt(60), VENDORS[random.nextInt(VENDORS.length)],
                    100 + random.nextInt(9900), 100 + random.nextInt(9900), THINGS[random.nextInt(THINGS.length)],
                    CITIES[random.nextInt(CITIES.length)]));
        }
        return out;
    }

    private void stubs() {
        upstream.stubFor(chat("small").willReturn(json("small", "small says: here it is.")));
        upstream.stubFor(chat("big").willReturn(json("big", "big says: here it is.")));
        // The judge: for ledger questions the reasoning tier's answer is better wherever it stands, for the rest
        // the cheap tier's.
        upstream.stubFor(chat("judge").withRequestBody(containing("Tessaract")).withRequestBody(containing("[A]\\nbig says"))
                .atPriority(1).willReturn(verdict("winner-a.json")));
        upstream.stubFor(chat("judge").withRequestBody(containing("Tessaract")).withRequestBody(containing("[B]\\nbig says"))
                .atPriority(1).willReturn(verdict("winner-b.json")));
        upstream.stubFor(chat("judge").withRequestBody(containing("[A]\\nsmall says")).atPriority(2)
                .willReturn(verdict("winner-a.json")));
        upstream.stubFor(chat("judge").withRequestBody(containing("[B]\\nsmall says")).atPriority(2)
                .willReturn(verdict("winner-b.json")));
    }

    private static MappingBuilder chat(String model) {
        return post(urlEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model))).atPriority(5);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder verdict(String fixture) {
        return aResponse().withHeader("content-type", "application/json").withBody(Fixtures.text("judge/" + fixture));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String model, String content) {
        return aResponse().withHeader("content-type", "application/json").withBody(new JsonObject()
                .put("id", "chatcmpl-" + model).put("object", "chat.completion").put("created", 1765100000).put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
                        .put("message", new JsonObject().put("role", "assistant").put("content", content))))
                .put("usage", new JsonObject().put("prompt_tokens", 30).put("completion_tokens", 6).put("total_tokens", 36))
                .encode());
    }
}
