package dev.gearbox.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON Schemas editors use agree with the shipped rules and with what the gateway accepts. */
class RulesSchemaTest {

    private static final Path RULES = Path.of("..", "routing-rules");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theShippedFilesFollowTheirSchemas() throws IOException {
        assertThat(validate("models.schema.json", YAML.readTree(RULES.resolve("models.yaml").toFile()))).isEmpty();
        assertThat(validate("routes.schema.json", YAML.readTree(RULES.resolve("routes.yaml").toFile()))).isEmpty();
    }

    @Test
    void theSchemasRejectMistakesTheGatewayRejects() throws IOException {
        JsonNode routes = YAML.readTree("""
                routes:
                  - name: a
                    when: {colour: red}
                    then: {tier: cheap, strategy: fancy}
                """);
        JsonNode models = YAML.readTree("models:\n  - {id: a, provider: p, price: {input: -1, output: 1}}\n");

        assertThat(validate("routes.schema.json", routes)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(validate("routes.schema.json", YAML.readTree("""
                routes:
                  - {name: a, then: {tier: cheap}, quality: {shadow: {sample_rate: 0.2}, store_text: true}}
                """))).isEmpty();
        assertThat(validate("routes.schema.json", YAML.readTree("""
                routes:
                  - {name: a, then: {tier: cheap}, quality: {shadow: {sample_rate: 1.2}, keep: true}}
                """))).hasSize(2);
        assertThat(validate("models.schema.json", models)).isNotEmpty();
    }

    @Test
    void theRoutesSchemaListsEveryCondition() throws IOException {
        JsonNode conditions = JSON.readTree(RULES.resolve("routes.schema.json").toFile())
                .path("definitions").path("condition").path("properties");
        List<String> names = new ArrayList<>();
        conditions.fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactlyInAnyOrderElementsOf(ConditionCompiler.NAMES);
    }

    private static Set<ValidationMessage> validate(String schemaFile, JsonNode document) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(JSON.readTree(RULES.resolve(schemaFile).toFile()));
        return schema.validate(document);
    }
}
