package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.CLOCK;
import static dev.gearbox.routing.RoutingFixtures.MODELS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingRulesTest {

    private static final String CHEAP = "routes:\n  - name: default\n    then: {tier: cheap}\n";
    private static final String REASONING = "routes:\n  - name: default\n    then: {tier: reasoning}\n";

    @Test
    void appliesAValidChangeAndRefusesAnInvalidOneKeepingTheOldRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("models.yaml"), MODELS);
        Files.writeString(dir.resolve("routes.yaml"), CHEAP);
        RoutingRules rules = RoutingRules.load(config(dir), CLOCK);
        RoutingTable first = rules.current();

        assertThat(rules.reload()).isSameAs(first);

        Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - name: default\n    then: {tier: nope}\n");
        assertThat(rules.reload()).isSameAs(first);
        assertThat(rules.lastError().message()).contains("routes.yaml: line 3: routes[0].then.tier: unknown tier 'nope'");

        Files.writeString(dir.resolve("routes.yaml"), REASONING);
        RoutingTable second = rules.reload();
        assertThat(second.version()).isNotEqualTo(first.version());
        assertThat(second.rules().get(0).then().tier()).isEqualTo("reasoning");
        assertThat(rules.lastError()).isNull();
    }

    @Test
    void followsAKubernetesConfigMapSymlinkSwap(@TempDir Path dir) throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_11_23_10_00_00.1"));
        Files.writeString(v1.resolve("models.yaml"), MODELS);
        Files.writeString(v1.resolve("routes.yaml"), CHEAP);
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(dir.resolve("models.yaml"), Path.of("..data", "models.yaml"));
        Files.createSymbolicLink(dir.resolve("routes.yaml"), Path.of("..data", "routes.yaml"));
        RoutingRules rules = RoutingRules.load(config(dir), CLOCK);

        Path v2 = Files.createDirectory(dir.resolve("..2026_11_23_10_05_00.2"));
        Files.writeString(v2.resolve("models.yaml"), MODELS);
        Files.writeString(v2.resolve("routes.yaml"), REASONING);
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, v2.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(rules.reload().rules().get(0).then().tier()).isEqualTo("reasoning");
    }

    @Test
    void aFileThatDisappearsForAMomentIsRefusedNotFatal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("models.yaml"), MODELS);
        Files.writeString(dir.resolve("routes.yaml"), CHEAP);
        RoutingRules rules = RoutingRules.load(config(dir), CLOCK);
        Files.delete(dir.resolve("routes.yaml"));

        assertThat(rules.reload().rules()).hasSize(1);
        assertThat(rules.lastError().message()).contains("no such file");
    }

    private static GearboxConfig config(Path dir) {
        return ConfigLoader.of(Map.of()).parse("providers:\n  p: {type: simulated}\n", "test").withRulesDirectory(dir.toString());
    }
}
