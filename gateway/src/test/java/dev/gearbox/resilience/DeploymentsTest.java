package dev.gearbox.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ResilienceConfig;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentsTest {

    @Test
    void notServableOnlyWhenEveryChatModelsBreakerIsOpen() {
        GearboxConfig config = ConfigLoader.of(Map.of()).parse("providers:\n  p: {type: simulated}\n", "test");
        Catalog catalog = RulesCompiler.forGateway(config, Clock.systemUTC()).compile(new RulesText("""
                models:
                  - {id: a, provider: p, tier: cheap}
                  - {id: b, provider: p, tier: cheap}
                  - {id: e, provider: p, kind: embeddings}
                """, "routes:\n  - name: default\n    then: {tier: cheap}\n", "test")).catalog();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Deployments deployments = new Deployments(ResilienceConfig.none(), Clock.systemUTC(), meters);
        ModelConfig a = catalog.model("a").orElseThrow();
        ModelConfig b = catalog.model("b").orElseThrow();

        deployments.of(a).breaker().transitionToOpenState();
        assertThat(deployments.anyServable(catalog)).isTrue();

        deployments.of(b).breaker().transitionToOpenState();
        assertThat(deployments.anyServable(catalog)).isFalse();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "a").tag("state", "open").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void aModelsOverrideRefinesTheDefaults() {
        ResilienceConfig config = ConfigLoader.of(Map.of()).parse("""
                providers:
                  p: {type: simulated}
                resilience:
                  defaults: {max_attempts: 3, first_byte_timeout_ms: 1000}
                  models:
                    slow: {first_byte_timeout_ms: 90000}
                """, "test").resilience();

        assertThat(config.policyFor("slow").firstByteTimeoutMs()).isEqualTo(90_000);
        assertThat(config.policyFor("slow").maxAttempts()).isEqualTo(3);
        assertThat(config.policyFor("other").firstByteTimeoutMs()).isEqualTo(1_000);
        assertThat(config.policyFor("other").breakerOpenMs()).isEqualTo(30_000);
    }
}
