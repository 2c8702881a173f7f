package dev.gearbox;

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

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
