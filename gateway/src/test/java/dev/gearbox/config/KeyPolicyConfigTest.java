package dev.gearbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key and team policies in the config file: a malformed one stops start-up with the field named. */
class KeyPolicyConfigTest {

    private final ConfigLoader loader = ConfigLoader.of(Map.of("TEAM_KEY", "sk-team-0123456789"));

    @Test
    void readsAKeysPolicyAndItsTeamsFromTheFile() {
        GearboxConfig config = loader.parse(yaml("""
                  api_keys:
                    - {key: "${TEAM_KEY}", tenant: research, rpm: 60, budget_usd: {daily: 5}, on_budget: downgrade}
                """, """
                teams:
                  - {id: research, tpm: 100000, max_concurrent: 4, models: [cheap]}
                state:
                  file: /var/lib/gearbox/state.json
                  redis: {url: "redis://127.0.0.1:6379", on_unavailable: fail_open}
                """), "test.yaml");
        Policy key = config.server().apiKeys().get(0).policy();
        assertThat(key.rpm()).isEqualTo(60);
        assertThat(key.budgetUsd().daily()).isEqualTo(5.0);
        assertThat(key.onBudget()).isEqualTo(OnBudget.DOWNGRADE);
        assertThat(config.teams().get(0).policy().models()).containsExactly("cheap");
        assertThat(config.state().redis().onUnavailable()).isEqualTo(RedisConfig.OnUnavailable.FAIL_OPEN);
    }

    @Test
    void theComposeSharedStateExampleLoads() {
        GearboxConfig config = ConfigLoader.of(Map.of("GEARBOX_ADMIN_TOKEN", "t"))
                .load(java.nio.file.Path.of("..", "deploy", "gearbox-shared-state.yaml"));
        assertThat(config.state().redis().url()).isEqualTo("redis://redis:6379");
        assertThat(config.state().redis().onUnavailable()).isEqualTo(RedisConfig.OnUnavailable.FAIL_CLOSED);
    }

    @Test
    void aNegativeRateStopsStartUpNamingTheField() {
        assertThatThrownBy(() -> loader.parse(yaml("""
                  api_keys:
                    - {key: "${TEAM_KEY}", tenant: research, rpm: -5}
                """, ""), "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.api_keys[0].rpm")
                .hasMessageContaining("expected: > 0");
    }

    @Test
    void aBudgetThatIsNotPositiveStopsStartUpNamingTheField() {
        assertThatThrownBy(() -> loader.parse(yaml("", """
                teams:
                  - {id: research, budget_usd: {monthly: 0}}
                """), "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("budget_usd.monthly")
                .hasMessageContaining("expected: > 0");
    }

    @Test
    void anUnknownBudgetActionOrRedisBehaviourStopsStartUpNamingTheField() {
        assertThatThrownBy(() -> loader.parse(yaml("", """
                teams:
                  - {id: research, on_budget: warn}
                """), "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("on_budget").hasMessageContaining("block or downgrade");
        assertThatThrownBy(() -> loader.parse(yaml("", """
                state:
                  redis: {url: "redis://127.0.0.1:6379", on_unavailable: maybe}
                """), "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("on_unavailable")
                .hasMessageContaining("fail_open or fail_closed");
        assertThatThrownBy(() -> loader.parse(yaml("", """
                state:
                  redis: {url: "127.0.0.1:6379"}
                """), "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.redis.url");
    }

    private static String yaml(String server, String rest) {
        return """
                server:
                  port: 0
                %s
                providers:
                  sim: {type: simulated}
                %s
                """.formatted(server, rest);
    }
}
