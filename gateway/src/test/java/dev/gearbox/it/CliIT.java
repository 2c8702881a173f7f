package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.server.Gearbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: the built jar, run in its own JVM. */
@Timeout(120)
class CliIT {

    private static final Path JAR = Path.of("target", "gearbox.jar");
    private static final String ROUTES_TO_O3 = """
            aliases: [auto]
            routes:
              - name: everything-to-o3
                then: {models: [o3]}
            """;

    /** Exit code, then what it printed on stdout and stderr. */
    private record Run(int code, String out, String err) {
    }

    private static Run gearbox(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GEARBOX_CONFIG");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    @Test
    void everyCommandExplainsItselfWithHelpAndTheJarSaysItsVersion() throws Exception {
        Run version = gearbox(Map.of(), "--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).matches("gearbox \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");

        for (String command : List.of("validate", "train-router", "route")) {
            Run help = gearbox(Map.of(), command, "--help");

            assertThat(help.code()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: java -jar gearbox.jar " + command);
            assertThat(help.err()).as(command).doesNotContain("unknown argument");
        }
        assertThat(gearbox(Map.of(), "--help").out()).contains("--version").contains("COMMAND --help");
    }

    @Test
    void validateJudgesAgainstTheEmbeddedDefaultAsTheGatewayWouldAndSaysSo(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("../routing-rules/models.yaml"), dir.resolve("models.yaml"));
        Files.writeString(dir.resolve("routes.yaml"), ROUTES_TO_O3);
        Path openai = dir.resolve("openai.yaml");
        Files.writeString(openai, "providers:\n  openai: {type: openai, base_url: 'https://api.openai.com/v1'}\n");

        Run embedded = gearbox(Map.of(), "validate", dir.toString());
        Run withConfig = gearbox(Map.of(), "validate", dir.toString(), "--config", openai.toString());
        Run fromEnvironment = gearbox(Map.of("GEARBOX_CONFIG", openai.toString()), "validate", dir.toString());

        assertThat(embedded.code()).as(embedded.err()).isEqualTo(1);
        assertThat(embedded.err()).contains("routes[0].then.models: none of these models has a configured provider")
                .contains("judged against the embedded default config");
        assertThat(withConfig.code()).as(withConfig.err()).isZero();
        assertThat(withConfig.out()).contains("valid").contains("against config " + openai);
        assertThat(fromEnvironment.code()).as(fromEnvironment.err()).isZero();
        // The gateway on the embedded default refuses the same rules at start-up.
        assertThatThrownBy(() -> Gearbox.start(ConfigLoader.of(Map.of()).embeddedDefault().withPort(0)
                .withRulesDirectory(dir.toString()), Clock.systemUTC()).await())
                .hasMessageContaining("routes[0].then.models: none of these models has a configured provider");
    }
}
