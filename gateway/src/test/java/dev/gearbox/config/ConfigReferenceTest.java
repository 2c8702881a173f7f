package dev.gearbox.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gearbox.testing.Markdown;
import java.io.IOException;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference and the schema name exactly the keys the config records accept, both ways: a
 * key added to a record without a line in docs/configuration.md and a property in the schema fails here, and
 * so does a documented key the gateway would refuse.
 */
class ConfigReferenceTest {

    private static final SortedSet<String> ACCEPTED = ConfigKeys.accepted();

    @Test
    void theKeysAreReadFromTheRecordsTheLoaderFills() {
        assertThat(ACCEPTED).contains("server.port", "server.api_keys[].budget_usd.daily", "providers.<*>.type",
                "providers.<*>.region", "models[].price.input", "resilience.models.<*>.max_attempts", "telemetry.tracing.endpoint");
        assertThat(ACCEPTED).doesNotContain("providers.<*>.extra", "server.api_keys[].key.variable");
    }

    @Test
    void theConfigurationReferenceDocumentsEveryAcceptedKeyAndNoOther() {
        String reference = Markdown.read(Markdown.ROOT.resolve("docs/configuration.md"));

        SortedSet<String> documented = ConfigKeys.inReference(reference, ACCEPTED);

        assertThat(without(ACCEPTED, documented)).as("accepted by the config records, missing from docs/configuration.md").isEmpty();
        assertThat(without(documented, ACCEPTED)).as("in docs/configuration.md, refused by the config records").isEmpty();
    }

    @Test
    void theSchemaDescribesEveryAcceptedKeyAndNoOther() throws IOException {
        SortedSet<String> described = ConfigKeys.inSchema(new ObjectMapper().readTree(ConfigSchemaTest.SCHEMA.toFile()));

        assertThat(without(ACCEPTED, described)).as("accepted by the config records, missing from the schema").isEmpty();
        assertThat(without(described, ACCEPTED)).as("in the schema, refused by the config records").isEmpty();
    }

    private static SortedSet<String> without(SortedSet<String> keys, SortedSet<String> others) {
        SortedSet<String> rest = new TreeSet<>(keys);
        rest.removeAll(others);
        return rest;
    }
}
