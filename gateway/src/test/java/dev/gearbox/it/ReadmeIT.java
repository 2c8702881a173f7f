package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a newcomer does first: run the README's command, then its curl example. */
@Timeout(120)
class ReadmeIT {

    private static final Path README = Path.of("..", "README.md");
    private static final Path JAR = Path.of("target", "gearbox.jar");
    private Process gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmeRunCommandServesItsCurlExample() throws Exception {
        String readme = Files.readString(README);
        List<String> blocks = bashBlocks(readme);
        String runCommand = blocks.get(0);
        String testCommand = blocks.get(1);
        String curl = blocks.stream().filter(b -> b.startsWith("curl -s ")).findFirst().orElseThrow();
        assertThat(runCommand).endsWith("java -jar gateway/target/gearbox.jar");
        assertThat(testCommand).isEqualTo("mvn -B verify");
        assertThat(Files.readString(Path.of("..", ".ci", "run"))).contains("\n" + testCommand + "\n");

        int port = freePort();
        gateway = new ProcessBuilder("java", "-jar", JAR.toString(), "--port", String.valueOf(port))
                .redirectErrorStream(true).start();
        awaitLine(gateway, "Gearbox listening");

        Process client = new ProcessBuilder("bash", "-c", curl.replace("localhost:8080", "127.0.0.1:" + port))
                .redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor()).as(output).isZero();

        JsonObject completion = new JsonObject(output);
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        assertThat(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
                .contains("What does an LLM gateway do?");
    }

    private static List<String> bashBlocks(String markdown) {
        Matcher m = Pattern.compile("```bash\\n(.*?)\\n```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new java.util.ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1).strip());
        }
        return blocks;
    }

    private static void awaitLine(Process process, String marker) throws Exception {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.append(line).append('\n');
                    if (line.contains(marker)) {
                        seen.complete(null);
                    }
                }
                seen.completeExceptionally(new AssertionError("gateway exited:\n" + log));
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        }, "gateway-log");
        reader.setDaemon(true);
        reader.start();
        seen.get(60, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
