package dev.gearbox.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private static Catalog catalog(Set<String> providers, Map<String, String> aliases, ModelConfig... models) {
        Map<String, ModelConfig> byId = new LinkedHashMap<>();
        for (ModelConfig m : models) {
            byId.put(m.id(), m);
        }
        return new Catalog(byId, providers, aliases, Set.of("auto"), null, null);
    }

    private static ModelConfig model(String id, String provider, String upstream) {
        return new ModelConfig(id, provider, upstream, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aDatedNameFindsItsUndatedEntryAndIsSentUpstreamAsPinned() {
        Catalog catalog = catalog(Set.of("openai", "anthropic"), Map.of(), model("gpt-4o", "openai", null),
                model("claude-sonnet-4", "anthropic", "claude-sonnet-4-20250514"));

        assertThat(catalog.find("gpt-4o-2024-08-06")).hasValueSatisfying(m -> {
            assertThat(m.id()).isEqualTo("gpt-4o");
            assertThat(m.upstream()).isEqualTo("gpt-4o-2024-08-06");
        });
        assertThat(catalog.find("claude-sonnet-4-20250514")).hasValueSatisfying(m -> {
            assertThat(m.id()).isEqualTo("claude-sonnet-4");
            assertThat(m.upstream()).isEqualTo("claude-sonnet-4-20250514");
        });
        assertThat(catalog.find("claude-sonnet-4-20250101").orElseThrow().upstream()).isEqualTo("claude-sonnet-4-20250101");
    }

    @Test
    void anthropicsOwnAliasesOfTheNewestSnapshotAreUndatedNames() {
        Catalog catalog = catalog(Set.of("anthropic"), Map.of(), model("claude-sonnet-4", "anthropic", "claude-sonnet-4-20250514"),
                model("claude-3-5-haiku", "anthropic", "claude-3-5-haiku-20241022"));

        assertThat(catalog.find("claude-sonnet-4-0").map(ModelConfig::upstream)).hasValue("claude-sonnet-4-0");
        assertThat(catalog.find("claude-3-5-haiku-latest").map(ModelConfig::id)).hasValue("claude-3-5-haiku");
        assertThat(catalog.find("claude-sonnet-4-1")).as("4.1 is another model").isEmpty();
    }

    @Test
    void aDeploymentsOwnUpstreamNameIsKeptAndNotADateIsNoDatedName() {
        Catalog catalog = catalog(Set.of("azure"), Map.of(), model("gpt-4o", "azure", "prod-gpt4o-eastus"));

        assertThat(catalog.find("gpt-4o-2024-08-06").orElseThrow().upstream()).isEqualTo("prod-gpt4o-eastus");
        assertThat(catalog.find("gpt-4o-2024-13-06")).isEmpty();
        assertThat(catalog.find("gpt-4o-20240806x")).isEmpty();
        assertThat(catalog.find("auto")).isEmpty();
    }

    @Test
    void anUndatedNameFindsTheNewestOfACatalogOfDatedIds() {
        Catalog catalog = catalog(Set.of("anthropic"), Map.of(), model("claude-opus-4-20250514", "anthropic", null),
                model("claude-opus-4-20250805", "anthropic", null));

        assertThat(catalog.find("claude-opus-4").map(ModelConfig::id)).hasValue("claude-opus-4-20250805");
    }

    @Test
    void anAliasForTheUndatedNameOutranksAnEntryNoConfiguredProviderServes() {
        Catalog catalog = catalog(Set.of("sim"), Map.of("claude-sonnet-4", "sim-cheap"), model("sim-cheap", "sim", null),
                model("claude-sonnet-4", "anthropic", "claude-sonnet-4-20250514"));
        Catalog withoutAlias = catalog(Set.of("sim"), Map.of(), model("sim-cheap", "sim", null),
                model("claude-sonnet-4", "anthropic", "claude-sonnet-4-20250514"));

        assertThat(catalog.find("claude-sonnet-4-20250514").map(ModelConfig::id)).hasValue("sim-cheap");
        Optional<ModelConfig> unserved = withoutAlias.find("claude-sonnet-4-20250514");
        assertThat(unserved.map(ModelConfig::id)).as("found, so the refusal can say its provider is not configured")
                .hasValue("claude-sonnet-4");
        assertThat(List.of(unserved.orElseThrow()).stream().noneMatch(withoutAlias::available)).isTrue();
    }
}
