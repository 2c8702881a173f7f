package dev.gearbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gearbox.testing.Markdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema editors check gearbox.yaml with agrees with the shipped configs, the docs and the gateway. */
class ConfigSchemaTest {

    static final Path SCHEMA = Markdown.ROOT.resolve("deploy/gearbox.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern SCHEMA_LINE = Pattern.compile("\\A# yaml-language-server: \\$schema=(\\S+)\\n");
    /** A yaml block that opens by naming a file of another kind (rules, manifests) is that file's, not a config. */
    private static final Pattern OTHER_FILE = Pattern.compile("\\A# (routing-rules|k8s)/\\S+");

    @Test
    void everyExampleConfigNamesTheSchemaAndFollowsIt() throws IOException {
        List<Path> configs = exampleConfigs();

        assertThat(configs).hasSizeGreaterThanOrEqualTo(8);
        for (Path config : configs) {
            String text = Files.readString(config);
            Matcher line = SCHEMA_LINE.matcher(text);
            assertThat(line.find()).as("%s opens with its yaml-language-server $schema line", config).isTrue();
            assertThat(config.resolveSibling(line.group(1)).normalize()).as(config.toString()).isEqualTo(SCHEMA.normalize());
            assertThat(validate(YAML.readTree(text))).as(config.toString()).isEmpty();
        }
    }

    @Test
    void theEmbeddedDefaultFollowsTheSchema() throws IOException {
        try (var in = ConfigLoader.class.getResourceAsStream(ConfigLoader.EMBEDDED_DEFAULT)) {
            assertThat(validate(YAML.readTree(in))).isEmpty();
        }
    }

    @Test
    void everyConfigInTheDocsFollowsTheSchemaAndLoads() throws IOException {
        int checked = 0;
        for (Path page : Markdown.pages()) {
            for (String block : Markdown.blocks(Markdown.read(page), "yaml")) {
                if (OTHER_FILE.matcher(block).find()) {
                    continue;
                }
                JsonNode config = YAML.readTree(block);
                // The docs show a section at a time; the gateway needs a provider to start, so lend one.
                if (!config.has("providers")) {
                    ((ObjectNode) config).set("providers", YAML.readTree("sim: {type: simulated}"));
                }
                assertThat(validate(config)).as("%s:\n%s", page, block).isEmpty();
                ConfigLoader.of(variables(block)).parse(YAML.writeValueAsString(config), page.toString());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "server: {port: -5}\nproviders: {sim: {type: simulated}}",
        "server: {colour: red}\nproviders: {sim: {type: simulated}}",
        "providers: {sim: {type: simulated}}\ncahce: {enabled: false}",
        "providers: {}",
        "server: {port: 8080}",
        "providers: {openai: {type: openai, base_url: 'https://api.openai.com/v1', api_key: sk-written-in-the-file}}",
        "providers: {openai: {type: openai, base_url: 'https://api.openai.com/v1', region: us-east-1}}",
        "providers: {aws: {type: bedrock}}",
        "providers: {x: {type: mistral, base_url: 'https://api.mistral.ai/v1'}}",
        "providers: {sim: {type: simulated}}\nstate: {redis: {url: 'http://redis:6379'}}",
        "providers: {sim: {type: simulated}}\nresilience: {models: {o3: {max_attempts: 0}}}",
        "providers: {sim: {type: simulated}}\nteams: [{id: research, on_budget: shrug}]",
        "providers: {sim: {type: simulated}}\nmodels: [{id: m, provider: sim, price: {input: -1, output: 1}}]",
    })
    void aConfigTheGatewayRefusesTheSchemaRefusesToo(String yaml) throws IOException {
        assertThat(validate(YAML.readTree(yaml))).isNotEmpty();
        assertThatThrownBy(() -> ConfigLoader.of(variables(yaml)).parse(yaml, "wrong.yaml"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void theSchemaListsEveryProviderTypeWithItsOwnFields() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        JsonNode provider = schema.path("definitions").path("provider");
        List<String> types = new ArrayList<>();
        provider.path("properties").path("type").path("enum").forEach(t -> types.add(t.textValue()));
        Set<String> familyFields = new java.util.TreeSet<>();
        ConfigKeys.familyFields().values().forEach(familyFields::addAll);

        assertThat(types).containsExactlyInAnyOrderElementsOf(ProviderKinds.types());
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (JsonNode rule : provider.path("allOf")) {
            Set<String> own = new java.util.TreeSet<>(familyFields);
            rule.path("then").path("propertyNames").path("not").path("enum").forEach(f -> own.remove(f.textValue()));
            allowed.put(rule.path("if").path("properties").path("type").path("const").textValue(), own);
        }
        assertThat(allowed).isEqualTo(ConfigKeys.familyFields());
    }

    static Set<ValidationMessage> validate(JsonNode config) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(SCHEMA.toFile()));
        return schema.validate(config);
    }

    private static List<Path> exampleConfigs() throws IOException {
        List<Path> configs = new ArrayList<>();
        try (Stream<Path> deploy = Files.list(Markdown.ROOT.resolve("deploy"))) {
            deploy.filter(p -> p.getFileName().toString().matches("gearbox.*\\.yaml")).sorted().forEach(configs::add);
        }
        configs.add(Markdown.ROOT.resolve("k8s/overlays/prod/gearbox.yaml"));
        return configs;
    }

    /** A value for every variable the text names, so a config is judged on its shape, not on this machine's environment. */
    private static Map<String, String> variables(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            env.put(m.group(1), "value-of-" + m.group(1));
        }
        return env;
    }
}
