package dev.gearbox.server;

import static org.assertj.core.api.Assertions.assertThat;

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
    void validateWithAConfigChecksThatRoutesCanBeServed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gearbox.yaml");
        Files.writeString(config, "providers:\n  anthropic: {type: openai, base_url: 'https://api.anthropic.com/v1'}\n");

        assertThat(run("validate", "../routing-rules", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no model of tier 'reasoning' has a configured provider");
    }

    @Test
    void routeReplaysPromptsThroughTheRulesOffline(@TempDir Path dir) throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"id\":1,\"prompt\":\"What is the capital of France?\"}\n"
                + "{\"id\":2,\"prompt\":\"Kylar buys 16 glasses at $5 each. How much does he pay?\"}\n");

        assertThat(run("route", "../routing-rules", prompts.toString())).isZero();

        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines[0]).contains("\"route\":\"weak\"").contains("\"rule\":\"default\"");
        assertThat(lines[1]).contains("\"route\":\"strong\"").contains("\"rule\":\"maths-and-proofs\"");
    }

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
