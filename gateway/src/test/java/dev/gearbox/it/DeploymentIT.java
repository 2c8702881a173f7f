package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ServerConfig;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import dev.gearbox.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kubernetes overlays, rendered by kubectl kustomize, and the Dockerfile agree with the gateway they deploy. */
@Timeout(120)
class DeploymentIT {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.embeddedDefault();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesHitRealEndpointsOfTheGateway(String overlay) throws Exception {
        JsonNode container = container(render(overlay));

        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").asText()).as(probe).isEqualTo("http");
            assertThat(gateway.get(get.path("path").asText()).statusCode()).as(probe + " " + get.path("path")).isEqualTo(200);
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRulesConfigMapHoldsEveryFileOfRoutingRulesMountedWhereTheGatewayLooks(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode configMap = find(objects, "ConfigMap", "gearbox-routing-rules");
        Set<String> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("routing-rules"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        assertThat(fieldNames(configMap.path("data"))).containsExactlyInAnyOrderElementsOf(files);
        for (String file : files) {
            assertThat(configMap.path("data").path(file).asText()).as(file)
                    .isEqualTo(Files.readString(ROOT.resolve("routing-rules").resolve(file), StandardCharsets.UTF_8));
        }
        JsonNode pod = find(objects, "Deployment", "gearbox").path("spec").path("template").path("spec");
        JsonNode mount = stream(container(objects).path("volumeMounts")).filter(m -> m.path("name").asText().equals("routing-rules"))
                .findFirst().orElseThrow();
        assertThat(mount.has("subPath")).as("a subPath mount never sees ConfigMap updates").isFalse();
        assertThat(mount.path("mountPath").asText()).isEqualTo(dockerfileWorkdir() + "/routing-rules");
        assertThat(stream(pod.path("volumes")).anyMatch(v -> v.path("configMap").path("name").asText().equals("gearbox-routing-rules")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void portsLabelsAndSelectorsAgree(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode deployment = find(objects, "Deployment", "gearbox");
        Map<String, String> podLabels = labels(deployment.path("spec").path("template").path("metadata").path("labels"));
        JsonNode port = container(objects).path("ports").get(0);
        JsonNode service = find(objects, "Service", "gearbox");

        assertThat(port.path("containerPort").asInt()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(port.path("name").asText()).isEqualTo("http");
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        assertThat(podLabels).containsAllEntriesOf(labels(deployment.path("spec").path("selector").path("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(labels(service.path("spec").path("selector")));
        assertThat(labels(service.path("spec").path("selector"))).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(labels(find(objects, "PodDisruptionBudget", "gearbox")
                .path("spec").path("selector").path("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(labels(find(objects, "NetworkPolicy", "gearbox")
                .path("spec").path("podSelector").path("matchLabels")));
        JsonNode monitor = find(objects, "ServiceMonitor", "gearbox");
        assertThat(labels(service.path("metadata").path("labels")))
                .containsAllEntriesOf(labels(monitor.path("spec").path("selector").path("matchLabels")));
        assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/metrics");
        assertThat(gateway.get("/metrics").statusCode()).isEqualTo(200);
        assertThat(find(objects, "HorizontalPodAutoscaler", "gearbox").path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo("gearbox");
    }

    /**
     * kustomize's {@code labels} with {@code includeSelectors} fill only the selectors a manifest already has, so
     * an object written without one renders with none: a PDB that protects nothing, a NetworkPolicy over every
     * pod of the namespace. Every object of a kind that selects must select, and select only its own workload.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectThatSelectsSelectsExactlyOneWorkloadOrService(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        List<Map<String, String>> podTemplates = objects.stream().filter(o -> WORKLOADS.contains(o.path("kind").asText()))
                .map(o -> labels(o.path("spec").path("template").path("metadata").path("labels"))).toList();
        List<Map<String, String>> services = objects.stream().filter(o -> o.path("kind").asText().equals("Service"))
                .map(o -> labels(o.path("metadata").path("labels"))).toList();
        int checked = 0;
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            JsonNode spec = object.path("spec");
            Map<String, String> selector;
            List<Map<String, String>> selectable;
            switch (kind) {
                case "Service" -> {
                    selector = labels(spec.path("selector"));
                    selectable = podTemplates;
                }
                case "NetworkPolicy" -> {
                    selector = labels(spec.path("podSelector").path("matchLabels"));
                    selectable = podTemplates;
                }
                case "PodDisruptionBudget", "Deployment", "StatefulSet", "DaemonSet" -> {
                    selector = labels(spec.path("selector").path("matchLabels"));
                    selectable = podTemplates;
                }
                case "ServiceMonitor" -> {
                    selector = labels(spec.path("selector").path("matchLabels"));
                    selectable = services;
                }
                default -> {
                    continue;
                }
            }
            String what = overlay + " " + kind + " " + object.path("metadata").path("name").asText();
            assertThat(selector).as(what + " has a selector").isNotEmpty();
            assertThat(selectable.stream().filter(labels -> labels.entrySet().containsAll(selector.entrySet())))
                    .as(what + " selects exactly one " + (kind.equals("ServiceMonitor") ? "Service" : "workload's pods"))
                    .hasSize(1);
            checked++;
        }
        assertThat(checked).as("objects that select").isGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void runsAsNonRootOnAReadOnlyFilesystemAndOutlastsTheDrain(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode pod = find(objects, "Deployment", "gearbox").path("spec").path("template").path("spec");
        JsonNode container = container(objects);

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        long drainSeconds = ServerConfig.defaults().drainTimeoutMs() / 1000;
        assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThan(drainSeconds + 5);
    }

    @Test
    void theProdConfigIsValidAndItsRoutesCanBeServed() throws Exception {
        List<JsonNode> objects = render("prod");
        JsonNode configMap = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().startsWith("gearbox-config")).findFirst().orElseThrow();
        Map<String, String> env = Map.of("OPENAI_API_KEY", "k", "DEEPSEEK_API_KEY", "k", "GEARBOX_KEY_DEFAULT", "k",
                "GEARBOX_ADMIN_TOKEN", "t");

        GearboxConfig config = ConfigLoader.of(env).parse(configMap.path("data").path("gearbox.yaml").asText(), "prod gearbox.yaml");
        RulesCompiler.forGateway(config, Clock.systemUTC()).compile(RulesText.read(ROOT.resolve("routing-rules")));

        JsonNode container = container(objects);
        String configPath = stream(container.path("env")).filter(e -> e.path("name").asText().equals("GEARBOX_CONFIG"))
                .findFirst().orElseThrow().path("value").asText();
        assertThat(stream(container.path("volumeMounts")).anyMatch(m -> configPath.equals(m.path("mountPath").asText() + "/gearbox.yaml")))
                .isTrue();
    }

    @Test
    void theDockerfileCopiesTheJarTheBuildProducesAndRunsItAsNonRoot() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        Matcher copy = Pattern.compile("COPY --from=build /src/(\\S+) (\\S+)").matcher(dockerfile);

        assertThat(copy.find()).isTrue();
        assertThat(ROOT.resolve(copy.group(1)).normalize()).isEqualTo(ROOT.resolve("gateway/target/gearbox.jar").normalize());
        assertThat(Path.of("target", "gearbox.jar")).exists();
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<outputFile>${project.build.directory}/gearbox.jar</outputFile>");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + copy.group(2) + "\"]");
        assertThat(dockerfile).containsPattern("USER 10001").contains("/health/live").contains("MaxRAMPercentage");
    }

    private static String dockerfileWorkdir() throws IOException {
        List<String> workdirs = Files.readAllLines(ROOT.resolve("deploy/Dockerfile")).stream()
                .filter(l -> l.startsWith("WORKDIR ")).map(l -> l.substring(8).trim()).toList();
        return workdirs.get(workdirs.size() - 1);
    }

    private static List<JsonNode> render(String overlay) throws Exception {
        boolean kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        if (!kubectl && System.getenv("CI") != null) {
            throw new AssertionError("kubectl must be on the PATH to render k8s/");
        }
        assumeTrue(kubectl, "kubectl is not installed here");
        Process process = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("k8s/overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        List<JsonNode> objects = new ArrayList<>();
        Iterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(output);
        documents.forEachRemaining(objects::add);
        return objects;
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode container(List<JsonNode> objects) {
        return find(objects, "Deployment", "gearbox").path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
