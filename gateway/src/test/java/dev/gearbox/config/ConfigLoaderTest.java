package dev.gearbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private final ConfigLoader loader = ConfigLoader.of(Map.of("OPENAI_API_KEY", "sk-test-123456", "DEEPSEEK_API_KEY", "sk-ds-987654"));

    @Test
    void embeddedDefaultServesTheSimulatedProvider() {
        GearboxConfig config = loader.embeddedDefault();

        assertThat(config.providers()).containsOnlyKeys("sim");
        assertThat(config.providers().get("sim").type()).isEqualTo("simulated");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().maxBodyBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(config.defaultEmbeddingModel()).isEqualTo("sim-embed");
        assertThat(config.rules().directory()).isNull();
    }

    @Test
    void theReadmeExampleForOpenAiAndDeepSeekLoads() {
        GearboxConfig config = loader.load(Path.of("..", "deploy", "gearbox-openai-deepseek.yaml"));

        assertThat(config.providers().get("openai").apiKey().value()).isEqualTo("sk-test-123456");
        assertThat(config.providers().get("deepseek").baseUrl()).isEqualTo("https://api.deepseek.com/v1");
        assertThat(config.defaultEmbeddingModel()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void theAnthropicExampleLoadsWithTheDefaultBaseUrl() {
        GearboxConfig config = ConfigLoader.of(Map.of("ANTHROPIC_API_KEY", "sk-ant-test-123456", "OPENAI_API_KEY", "sk-test-123456"))
                .load(Path.of("..", "deploy", "gearbox-anthropic.yaml"));

        assertThat(config.providers().get("anthropic").type()).isEqualTo("anthropic");
        assertThat(config.providers().get("anthropic").baseUrl()).isEqualTo("https://api.anthropic.com/v1");
        assertThat(config.providers().get("anthropic").apiKey().value()).isEqualTo("sk-ant-test-123456");
    }

    @Test
    void everyProviderExampleInDeployLoadsWithItsVariablesSet() throws java.io.IOException {
        java.util.List<Path> examples;
        try (var files = Files.list(Path.of("..", "deploy"))) {
            examples = files.filter(f -> f.getFileName().toString().matches("gearbox-.*\\.yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (Path example : examples) {
            String text = Files.readString(example);
            Map<String, String> env = new java.util.HashMap<>();
            java.util.regex.Matcher reference = java.util.regex.Pattern.compile("\\$\\{([A-Z_0-9]+)").matcher(text);
            while (reference.find()) {
                env.put(reference.group(1), "test-value-" + env.size());
            }
            GearboxConfig config = ConfigLoader.of(env).load(example);

            assertThat(config.providers()).as(example.toString()).isNotEmpty();
            config.providers().values().stream().filter(p -> !p.type().equals("simulated"))
                    .forEach(p -> assertThat(p.baseUrl()).as(example + " " + p.type()).startsWith("http"));
        }
    }

    @Test
    void aFamilysOwnFieldsAreCheckedWithTheLineAndTheField() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  aws:
                    type: bedrock
                    access_key_id: AKIAWRITTENINTHEFILE
                models:
                  - {id: a, provider: aws}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gearbox.yaml: line 2: providers.aws.");
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  aws: {type: bedrock, region: us-east-1, access_key_id: AKIAWRITTENINTHEFILE, secret_access_key: x}
                models:
                  - {id: a, provider: aws}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.aws.access_key_id: a secret written in the file (expected: a ${ENV_VAR} reference");
        assertThat(loader.parse("""
                providers:
                  aws: {type: bedrock, region: eu-west-3}
                  google: {type: vertex, project: my-project, location: europe-west4}
                models:
                  - {id: a, provider: aws}
                """, "gearbox.yaml").providers()).satisfies(p -> {
                    assertThat(p.get("aws").baseUrl()).isEqualTo("https://bedrock-runtime.eu-west-3.amazonaws.com");
                    assertThat(p.get("google").baseUrl()).isEqualTo("https://europe-west4-aiplatform.googleapis.com/v1");
                });
    }

    @Test
    void secretsAreExpandedFromTheEnvironmentAndNeverPrinted() {
        GearboxConfig config = loader.parse("""
                providers:
                  openai:
                    type: openai
                    base_url: https://api.openai.com/v1
                    api_key: ${OPENAI_API_KEY}
                models:
                  - id: gpt-4o-mini
                    provider: openai
                """, "test.yaml");

        Secret key = config.providers().get("openai").apiKey();
        assertThat(key.value()).isEqualTo("sk-test-123456");
        assertThat(config.toString()).doesNotContain("sk-test-123456").contains("${OPENAI_API_KEY}");
    }

    @Test
    void refusesAKeyWrittenIntoTheFile() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  openai:
                    type: openai
                    base_url: https://api.openai.com/v1
                    api_key: sk-live-oops
                models:
                  - id: gpt-4o-mini
                    provider: openai
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gearbox.yaml: line 5: providers.openai.api_key")
                .hasMessageContaining("${ENV_VAR}")
                .hasMessageNotContaining("sk-live-oops");
    }

    @Test
    void anOpenAiProviderServesChatCompletionsAndTheResponsesApiOnlyWhenListed() {
        GearboxConfig config = loader.parse("""
                providers:
                  openai: {type: openai, base_url: https://api.openai.com/v1, apis: [chat_completions, responses]}
                  vllm: {type: openai, base_url: http://vllm:8000/v1}
                models:
                  - {id: gpt-5, provider: openai}
                  - {id: llama, provider: vllm}
                """, "gearbox.yaml");

        assertThat(config.providers().get("openai").options().list("apis")).containsExactly("chat_completions", "responses");
        assertThat(config.providers().get("vllm").options().has("apis")).isFalse();
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  openai: {type: openai, base_url: https://api.openai.com/v1, apis: [responses]}
                models:
                  - {id: gpt-5, provider: openai}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.openai.apis")
                .hasMessageContaining("expected: chat_completions among them");
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated, apis: [chat_completions, responses]}
                models:
                  - {id: s, provider: sim}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("providers.sim.apis: unknown field for a simulated provider");
    }

    @Test
    void namesTheVariableWhenASecretIsNotSet() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  groq:
                    type: openai
                    base_url: https://api.groq.com/openai/v1
                    api_key: ${GROQ_API_KEY}
                models:
                  - id: llama
                    provider: groq
                """, "gearbox.yaml"))
                .hasMessageContaining("providers.groq.api_key")
                .hasMessageContaining("environment variable GROQ_API_KEY is not set");
    }

    @Test
    void namesFileLineAndFieldOfAnOutOfRangeValue() {
        assertThatThrownBy(() -> loader.parse("""
                server:
                  port: -5
                providers:
                  sim: {type: simulated}
                models:
                  - {id: a, provider: sim}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gearbox.yaml: line ")
                .hasMessageContaining("server.port: -5 (expected: 0..65535)");
    }

    @Test
    void namesAnUnknownFieldAndListsTheKnownOnes() {
        assertThatThrownBy(() -> loader.parse("""
                server:
                  prot: 8080
                providers:
                  sim: {type: simulated}
                models:
                  - {id: a, provider: sim}
                """, "gearbox.yaml"))
                .hasMessageContaining("gearbox.yaml: line 2: server.prot: unknown field")
                .hasMessageContaining("port");
    }

    @Test
    void refusesAModelOfAnUnknownProvider() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                models:
                  - {id: a, provider: sim}
                  - {id: b, provider: openai}
                """, "gearbox.yaml"))
                .hasMessageContaining("models[1].provider: 'openai' (expected: one of [sim])");
    }

    @Test
    void refusesAnAliasThatIsAlsoAModel() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                models:
                  - {id: a, provider: sim}
                aliases:
                  a: a
                """, "gearbox.yaml"))
                .hasMessageContaining("line 6: aliases.a: the alias is also a model id");
    }

    @Test
    void readsModelCatalogFieldsAndNamesABadPrice() {
        GearboxConfig config = loader.parse("""
                providers:
                  sim: {type: simulated}
                models:
                  - id: a
                    provider: sim
                    tier: cheap
                    price: {input: 0.15, output: 0.6, as_of: 2025-07-01}
                    capabilities: [tools, json_mode]
                    context_window: 1000
                """, "g.yaml");
        ModelConfig a = config.models().get(0);

        assertThat(a.tier()).isEqualTo("cheap");
        assertThat(a.price().cachedInput()).isEqualTo(0.15);
        assertThat(a.can(Capability.TOOLS)).isTrue();
        assertThat(a.can(Capability.VISION)).isFalse();
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                models:
                  - id: a
                    provider: sim
                    price: {input: -1, output: 0.6}
                """, "g.yaml"))
                .hasMessageContaining("line 6: models[0].price.input: -1.0 (expected: USD per 1M tokens, >= 0)");
    }

    @Test
    void refusesAWrongTypeAndAnUnknownProviderType() {
        assertThatThrownBy(() -> loader.parse("""
                server:
                  port: eighty
                providers:
                  sim: {type: simulated}
                models:
                  - {id: a, provider: sim}
                """, "gearbox.yaml"))
                .hasMessageContaining("line 2: server.port");
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: watsonx}
                models:
                  - {id: a, provider: sim}
                """, "gearbox.yaml"))
                .hasMessageContaining("providers.sim")
                .hasMessageContaining("type: 'watsonx' (expected: one of ").hasMessageContaining("openai");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheLine() {
        assertThatThrownBy(() -> loader.parse("models:\n  - id: a\n   provider: [\n", "broken.yaml"))
                .hasMessageStartingWith("broken.yaml: line ");
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"))).hasMessageEndingWith("nope.yaml: no such file");
    }

    @Test
    void loadsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.yaml");
        Files.writeString(file, "providers:\n  sim: {type: simulated}\nmodels:\n  - {id: a, provider: sim}\n");

        assertThat(loader.load(file).models()).hasSize(1);
    }

    @Test
    void defaultVariableValuesApply() {
        GearboxConfig config = loader.parse("""
                providers:
                  local:
                    type: openai
                    base_url: ${OLLAMA_URL:-http://localhost:11434/v1}
                models:
                  - {id: llama3, provider: local}
                """, "g.yaml");

        assertThat(config.providers().get("local").baseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(config.providers().get("local").apiKey()).isNull();
    }

    @Test
    void tracingIsOffUnlessConfiguredAndThenTakesItsDefaults() {
        String base = """
                providers:
                  sim: {type: simulated}
                """;
        assertThat(loader.parse(base, "off.yaml").telemetry().tracing()).isNull();

        TracingConfig tracing = loader.parse(base + """
                telemetry:
                  tracing:
                    endpoint: http://collector:4318/v1/traces
                    headers: {authorization: "Bearer ${OPENAI_API_KEY}"}
                """, "on.yaml").telemetry().tracing();

        assertThat(tracing.endpoint()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(tracing.headers()).containsEntry("authorization", "Bearer sk-test-123456");
        assertThat(tracing.samplingRatio()).isEqualTo(1.0);
        assertThat(tracing.serviceName()).isEqualTo("gearbox");
    }

    @Test
    void refusesASamplingRatioOutsideZeroToOneNamingTheLine() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                telemetry:
                  tracing:
                    endpoint: http://collector:4318/v1/traces
                    sampling_ratio: 2
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gearbox.yaml: line 6: telemetry.tracing.sampling_ratio: 2 (expected: 0..1)");
    }

    @Test
    void aRedisCommandWaitsASecondUnlessToldAndNeverAsLongAsARequestMay() {
        assertThat(loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {url: "redis://redis:6379"}
                """, "default.yaml").state().redis().timeoutMs()).isEqualTo(1000);
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {url: "redis://redis:6379", timeout_ms: 2000}
                resilience:
                  defaults: {total_timeout_ms: 5000}
                  models:
                    sim-cheap: {total_timeout_ms: 2000}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.redis.timeout_ms: 2000 (expected: < the shortest resilience total_timeout_ms, 2000)");
    }

    @Test
    void redisIsOneServerACLusterOrASentinelManagedPrimaryAndExactlyOneOfThem() {
        RedisConfig cluster = loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {cluster: ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"]}
                """, "cluster.yaml").state().redis();
        assertThat(cluster.topology()).isEqualTo(RedisConfig.Topology.CLUSTER);
        assertThat(cluster.endpoints()).containsExactly("redis://10.0.0.1:6379", "redis://10.0.0.2:6379");
        assertThat(cluster.durableReplicas()).as("a failover promotes a replica: it must hold the writes").isEqualTo(1);
        RedisConfig sentinel = loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {sentinel: {master: gearbox, nodes: ["redis://10.0.0.1:26379"]}}
                """, "sentinel.yaml").state().redis();
        assertThat(sentinel.topology()).isEqualTo(RedisConfig.Topology.SENTINEL);
        assertThat(sentinel.describe()).isEqualTo("sentinel gearbox@redis://10.0.0.1:26379");
        assertThat(loader.parse("providers:\n  sim: {type: simulated}\nstate:\n  redis: {url: \"redis://r:6379\"}\n",
                "single.yaml").state().redis().durableReplicas()).isZero();
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {url: "redis://r:6379", cluster: ["redis://r:6379"]}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.redis: url, cluster, sentinel: 2 given (expected: one of url: redis://host:port");
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  redis: {sentinel: {master: gearbox, nodes: ["10.0.0.1:26379"]}}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sentinel.nodes[0]: '10.0.0.1:26379' (expected: redis://host:port or rediss://host:port)");
    }

    @Test
    void requestsAreCountedInLeasesUnlessTheConfigOrAPolicySaysExactly() {
        StateConfig state = loader.parse("providers:\n  sim: {type: simulated}\n", "default.yaml").state();
        assertThat(state.accounting()).isEqualTo(Accounting.LEASED);
        assertThat(state.leases()).isEqualTo(new LeaseConfig(0.005, 0.1, 10_000L, 2L));
        GearboxConfig exact = loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  accounting: exact
                teams:
                  - {id: treasury, budget_usd: {daily: 5000}, accounting: exact}
                """, "exact.yaml");
        assertThat(exact.state().accounting()).isEqualTo(Accounting.EXACT);
        assertThat(exact.teams().get(0).policy().accounting()).isEqualTo(Accounting.EXACT);
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  leases: {budget_share: 0.9}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.leases.budget_share: 0.9 (expected: > 0 and <= 0.5)");
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                state:
                  accounting: sometimes
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("accounting: 'sometimes' (expected: leased or exact)");
    }

    @Test
    void capsNamedTenantsAtAHundredUnlessToldAndRefusesANegativeCap() {
        assertThat(loader.parse("providers:\n  sim: {type: simulated}\n", "default.yaml").telemetry().maxNamedTenants())
                .isEqualTo(100);
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                telemetry:
                  max_named_tenants: -5
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("gearbox.yaml: line 4: telemetry.max_named_tenants: -5 (expected: >= 0)");
    }

    @Test
    void refusesATracingEndpointThatIsNoHttpUrl() {
        assertThatThrownBy(() -> loader.parse("""
                providers:
                  sim: {type: simulated}
                telemetry:
                  tracing: {endpoint: "collector:4318"}
                """, "gearbox.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.tracing.endpoint: 'collector:4318' (expected: an http(s) URL)");
    }
}
