package dev.gearbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config FILE").contains("--port N");
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        assertThat(run("--verbose")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--verbose'").contains("Usage:");
    }

    @Test
    void aBadPortIsAUsageError() {
        assertThat(run("--port", "http")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port: 'http'");
    }

    @Test
    void anInvalidConfigStopsStartUpNamingTheField(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gearbox.yaml");
        Files.writeString(config, "providers:\n  sim: {type: simulated}\nmodels:\n  - {id: a, provider: nope}\n");

        assertThat(run("--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("invalid config")
                .contains("gearbox.yaml: line 4: models[0].provider: 'nope'");
    }

    @Test
    void theConfigMayComeFromTheEnvironment(@TempDir Path dir) {
        int code = Main.run(new String[0], Map.of("GEARBOX_CONFIG", dir.resolve("missing.yaml").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.yaml: no such file");
    }

    @Test
    void validateAcceptsTheShippedRulesAndRefusesABrokenCopyNamingTheLine(@TempDir Path dir) throws Exception {
        assertThat(run("validate", "../routing-rules")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("../routing-rules: valid (version ");

        Files.copy(Path.of("../routing-rules/models.yaml"), dir.resolve("models.yaml"));
        Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - name: default\n    then: {tier: cheep}\n");
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid, 1 problem:")
                .contains("routes.yaml: line 3: routes[0].then.tier: unknown tier 'cheep'");
    }

    @Test
    void validateRefusesARulesFileThatCannotBeReadNamingIt(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../routing-rules/models.yaml"), dir.resolve("models.yaml"));
        Files.createDirectory(dir.resolve("routes.yaml"));

        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid, 1 problem:")
                .contains(dir.resolve("routes.yaml") + ": cannot be read (");
    }

    @Test
    void validateWithAConfigChecksThatRoutesCanBeServed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gearbox.yaml");
        Files.writeString(config, "providers:\n  anthropic: {type: openai, base_url: 'https://api.anthropic.com/v1'}\n");

        assertThat(run("validate", "../routing-rules", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no model of tier 'reasoning' has a configured provider");
    }

    @Test
    void routeReplaysPromptsThroughTheRulesOffline(@TempDir Path dir) throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"id\":1,\"prompt\":\"What is the capital of France?\",\"label\":\"cheap\"}\n"
                + "{\"id\":2,\"prompt\":\"Prove that the square root of 2 is irrational.\",\"label\":\"reasoning\"}\n"
                + "{\"id\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Our Go service deadlocks under load: one goroutine "
                + "locks mu1 then mu2, another locks mu2 then mu1 while holding a channel send. Why does it hang only under load, "
                + "and what is the right fix?\"}],\"label\":\"reasoning\"}\n");

        assertThat(run("route", "../routing-rules", prompts.toString())).isZero();

        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[0]).contains("\"route\":\"weak\"").contains("\"rule\":\"default\"");
        assertThat(lines[1]).contains("\"route\":\"strong\"").contains("\"rule\":\"needs-reasoning\"");
        assertThat(lines[2]).contains("\"route\":\"strong\"");
        assertThat(new JsonObject(lines[1]).getDouble("difficulty")).isGreaterThan(new JsonObject(lines[0]).getDouble("difficulty"));
        assertThat(new JsonObject(lines[1]).getJsonArray("why").getList()).anySatisfy(why -> assertThat((String) why).contains("prove"));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("labelled cheap: 0 of 1 (0.0%) to a tier other than cheap")
                .contains("labelled reasoning: 2 of 2 (100.0%) to a tier other than cheap");
    }

    @Test
    void routeComparesTwoRuleDirectoriesOnTheSameTraffic(@TempDir Path dir) throws Exception {
        Path old = Files.createDirectory(dir.resolve("old"));
        Files.copy(Path.of("../routing-rules/models.yaml"), old.resolve("models.yaml"));
        Files.writeString(old.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n  - name: all-cheap\n    then: {tier: cheap}\n");
        Path traffic = dir.resolve("traffic.jsonl");
        Files.writeString(traffic, "{\"id\":1,\"prompt\":\"What is the capital of France?\"}\n"
                + "{\"id\":2,\"prompt\":\"Janet has 3 apples. She buys 5 more bags of 12 apples each and gives away a third of them. How many apples does she have left?\"}\n");

        assertThat(run("route", "--compare", old.toString(), "../routing-rules", traffic.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("changed tier: 1 (50.0%), changed model: 1 (50.0%)")
                .containsPattern("cheap +100.0% +50.0%")
                .containsPattern("reasoning +0.0% +50.0%")
                .contains("cheap -> reasoning: 1")
                .containsPattern("estimated cost: \\$0\\.\\d+ before, \\$0\\.\\d+ after \\(\\+\\d+\\.\\d%\\)");
    }

    @Test
    void trainRouterStopsAtAMalformedTrainingLineNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("traffic.jsonl");
        Files.writeString(data, "{\"prompt\":\"hi\",\"gain\":0}\n{\"prompt\":\"hi\",\"gain\":\"lots\"}\n");

        assertThat(run("train-router", "--data", data.toString(), "--out", dir.resolve("w.txt").toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(data + ": line 2: gain: 'lots' (expected: a number)");
        assertThat(dir.resolve("w.txt")).doesNotExist();
    }

    @Test
    void trainRouterReportsCrossValidatedFiguresAndWritesWeightsTheGatewayReads(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("traffic.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            lines.append(new JsonObject().put("prompt", (i % 2 == 0 ? "prove the lemma " : "greet the user ") + i)
                    .put("label", i % 2 == 0 ? "reasoning" : "cheap").put("group", "labels").encode()).append('\n');
            lines.append(new JsonObject().put("prompt", "which answer " + (i % 2 == 0 ? "quickly " : "slowly ") + i)
                    .put("weak_score", 5).put("strong_score", i % 2 == 0 ? 9 : 5).put("group", "ops").encode()).append('\n');
        }
        Files.writeString(data, lines);
        Path weights = dir.resolve("w.txt");

        assertThat(run("train-router", "--data", data.toString(), "--out", weights.toString(), "--buckets", "1024",
                "--seed", "3", "--expert-min", "100")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("labels +100 +\\d+\\.\\d% +100 +\\d+\\.\\d%")
                .containsPattern("ops +200 +0\\.\\d{3}");
        try (java.io.BufferedReader in = Files.newBufferedReader(weights)) {
            dev.gearbox.routing.difficulty.DifficultyModel model = dev.gearbox.routing.difficulty.WeightsFormat.read("w.txt", in);
            assertThat(model.expertGroups()).containsExactly("ops");
            assertThat(model.score("prove the lemma 7")).isGreaterThan(0.5);
            assertThat(model.score("greet the user 7")).isLessThan(0.5);
        }
    }

    @Test
    void trainRouterRefusesWeightsFromLabelsAloneThatAreWorseOnTheShippedEvaluationUnlessForced(@TempDir Path dir)
            throws Exception {
        Path labels = dir.resolve("labels.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append(new JsonObject().put("request_id", "r" + i).put("label", i % 2)
                    .put("prompt", (i % 2 == 1 ? "book the remittance " : "greet the user ") + i).encode()).append('\n');
        }
        Files.writeString(labels, lines);
        Path weights = dir.resolve("w.txt");

        assertThat(run("train-router", "--labels", labels.toString(), "--out", weights.toString(), "--buckets", "1024"))
                .isEqualTo(3);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("labels: 100 (0 of weight 0 skipped)")
                .containsPattern("current weights \\(built-in\\) +0\\.0% of 50 +100\\.0% of 50")
                .containsPattern("new weights \\(cross-validated\\) +\\d+\\.\\d% of 50");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused, nothing written (--force writes them anyway)")
                .contains("shipped evaluation: written prompts that need reasoning scored above 0.5");
        assertThat(weights).doesNotExist();

        assertThat(run("train-router", "--labels", labels.toString(), "--out", weights.toString(), "--buckets", "1024",
                "--force")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("worse, written as forced");
        assertThat(weights).exists();
    }

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
