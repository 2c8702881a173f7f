package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.routing.difficulty.WeightsFormat;
import dev.gearbox.routing.difficulty.training.Example;
import dev.gearbox.routing.difficulty.training.Label;
import dev.gearbox.routing.difficulty.training.Trainer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's own weights for the difficulty score, dropped into the rules directory as
 * {@code difficulty-weights.txt}: applied without a restart, shown by {@code GET /admin/routes}, refused
 * with the file and line when malformed while the weights in force keep routing, and gone when the file is.
 */
@Timeout(60)
class DifficultyWeightsIT {

    private static final String ADMIN = "Bearer admin-secret";
    private static final String ROUTES = """
            aliases: [auto]
            routes:
              - name: needs-reasoning
                when: {difficulty: {above: 0.5}}
                then: {tier: reasoning}
              - name: default
                then: {tier: cheap}
            """;
    /** The shipped score sends this to the cheap tier; weights that learnt that tulips need thought do not. */
    private static final String TULIPS = "Tell me about tulips in spring.";

    @TempDir
    static Path rules;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2));
        Files.writeString(rules.resolve("routes.yaml"), ROUTES);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2, admin_token: "${ADMIN_TOKEN}"}
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s", reload_interval_ms: 60000}
                default_embedding_model: sim-embed
                """.formatted(rules), Map.of("ADMIN_TOKEN", "admin-secret"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void operatorsWeightsReplaceTheShippedOnesAndAMalformedFileIsRefusedUntilItIsFixedOrRemoved() throws IOException {
        assertThat(tier(TULIPS)).isEqualTo("cheap");
        assertThat(routes().getJsonObject("difficulty_weights").getString("source")).isEqualTo("built-in");

        String weights = tulipWeights();
        Files.writeString(rules.resolve("difficulty-weights.txt"), weights);
        JsonObject applied = reload();

        assertThat(applied.getValue("last_error")).isNull();
        JsonObject shown = applied.getJsonObject("difficulty_weights");
        assertThat(shown.getString("source")).isEqualTo(rules.resolve("difficulty-weights.txt").toString());
        assertThat(shown.getString("version")).hasSize(12);
        assertThat(shown.getString("trained")).startsWith("ridge labelled=200");
        assertThat(tier(TULIPS)).isEqualTo("reasoning");
        assertThat(tier("Tell me about roses in spring.")).isEqualTo("cheap");

        Files.writeString(rules.resolve("difficulty-weights.txt"), weights.replaceFirst("\ncalibration [0-9a-f]+ ", "\ncalibration zz "));
        JsonObject refused = reload();

        assertThat(refused.getString("version")).isEqualTo(applied.getString("version"));
        assertThat(refused.getJsonObject("last_error").getString("message"))
                .contains(rules.resolve("difficulty-weights.txt") + ": line 6: 'zz' (expected: the hex bits of a float");
        assertThat(tier(TULIPS)).as("the weights in force keep routing").isEqualTo("reasoning");

        Files.writeString(rules.resolve("difficulty-weights.txt"), weights);
        JsonObject reverted = reload();

        assertThat(reverted.getValue("last_error")).isNull();
        assertThat(reverted.getString("version")).isEqualTo(applied.getString("version"));

        Files.delete(rules.resolve("difficulty-weights.txt"));
        JsonObject removed = reload();

        assertThat(removed.getJsonObject("difficulty_weights").getString("source")).isEqualTo("built-in");
        assertThat(tier(TULIPS)).isEqualTo("cheap");
    }

    @Test
    void weightsOfAnotherScoreAreRefusedNamingWhatToDo() throws IOException {
        Files.writeString(rules.resolve("difficulty-weights.txt"), "gearbox-difficulty 2\nbuckets 2\nexperts mmlu\n");
        try {
            JsonObject refused = reload();

            assertThat(refused.getJsonObject("last_error").getString("message")).contains("difficulty-weights.txt: line 1: "
                    + "'gearbox-difficulty 2' weights are of an earlier score").contains("retrain them with train-router");
            assertThat(refused.getJsonObject("difficulty_weights").getString("source")).isEqualTo("built-in");
        } finally {
            Files.delete(rules.resolve("difficulty-weights.txt"));
            reload();
        }
    }

    /** Weights as train-router writes them, from prompts that say tulips need a reasoning model and roses do not. */
    private static String tulipWeights() throws IOException {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            examples.add(Example.of("t" + i, "traffic", "Tell me about tulips, case " + i, new Label.Need(1)));
            examples.add(Example.of("r" + i, "traffic", "Tell me about roses, case " + i, new Label.Need(0)));
        }
        Trainer.Result result = Trainer.train(examples, new Trainer.Options(1 << 10, 1.0, 10, 10, 4, 0, 0, 1, 6));
        StringWriter out = new StringWriter();
        WeightsFormat.write(result.model(), out);
        return out.toString();
    }

    private static String tier(String prompt) {
        HttpResponse<String> answer = gateway.post("/v1/chat/completions", new JsonObject().put("model", "auto")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("x-gearbox-tier").orElseThrow();
    }

    private static JsonObject reload() {
        HttpResponse<String> response = gateway.post("/admin/routes/reload", "", "authorization", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static JsonObject routes() {
        return new JsonObject(gateway.get("/admin/routes", "authorization", ADMIN).body());
    }
}
