package dev.gearbox.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official OpenAI and Anthropic JavaScript SDKs (pinned in src/test/js/package-lock.json, installed with
 * npm ci), unmodified, against the gateway: what a Node client does by default, such as a moderation without
 * a model and a dated Claude id, works. An Anthropic upstream is played by WireMock.
 */
@Timeout(300)
class JsSdkIT {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "js-sdk");

    @Test
    void theOfficialJavaScriptSdksPassTheirSuite() throws Exception {
        boolean node = Stream.of("node", "npm").allMatch(JsSdkIT::onPath);
        if (!node && System.getenv("CI") != null) {
            throw new AssertionError("node and npm must be on the PATH to run the JavaScript SDKs");
        }
        assumeTrue(node, "node and npm are not installed here");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "sdk.test.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
        assertThat(install.code()).as(install.output()).isZero();

        WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(Fixtures.text("anthropic/messages-text.json"))));
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig("").replace("  sim: {type: simulated}",
                "  sim: {type: simulated}\n  anthropic: {type: anthropic, base_url: \"http://127.0.0.1:" + upstream.port()
                        + "/anthropic/v1\"}"))) {
            Run suite = run(List.of("node", "--test", "sdk.test.mjs"), Map.of("GEARBOX_URL", gateway.baseUrl()));

            assertThat(suite.code()).as(suite.output()).isZero();
            assertThat(suite.output()).contains("# pass 3").contains("# fail 0");
            upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                    .withRequestBody(matchingJsonPath("$.model", equalTo("claude-sonnet-4-20250514"))));
        } finally {
            upstream.stop();
        }
    }

    private record Run(int code, String output) {
    }

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).as(output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
