package dev.gearbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityConfigTest {

    private final ConfigLoader loader = ConfigLoader.of(Map.of());

    @Test
    void isOffWithoutAQualitySection() {
        assertThat(parse("").quality()).isNull();
    }

    @Test
    void readsTheContractsKeysWithTheirDefaults() {
        QualityConfig quality = parse("""
                quality:
                  shadow: {sample_rate: 0.05, judge_model: sim-reasoning, daily_budget_usd: 10, swap_positions: true}
                  retention_days: 30
                  store_text: false
                """).quality();

        assertThat(quality.shadow()).isEqualTo(new QualityConfig.ShadowConfig(0.05, "sim-reasoning", 10.0, true));
        assertThat(quality.retentionDays()).isEqualTo(30);
        assertThat(quality.storeText()).isFalse();
        assertThat(quality.feedbackWindowHours()).isEqualTo(24);

        QualityConfig defaults = parse("quality: {}\n").quality();
        assertThat(defaults.shadow()).isEqualTo(new QualityConfig.ShadowConfig(0.0, null, 10.0, true));
        assertThat(defaults.retentionDays()).isEqualTo(30);
    }

    @Test
    void namesFileLineAndFieldOfEachBadValue() {
        assertThatThrownBy(() -> parse("quality:\n  shadow: {sample_rate: 1.5, judge_model: j}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gearbox.yaml: line ").hasMessageContaining("quality.shadow.sample_rate: 1.5 (expected: from 0 to 1)");
        assertThatThrownBy(() -> parse("quality:\n  shadow: {sample_rate: 0.1}\n"))
                .hasMessageContaining("quality.shadow.judge_model: missing (expected: the id of a chat model of the catalog");
        assertThatThrownBy(() -> parse("quality:\n  shadow: {daily_budget_usd: -1}\n"))
                .hasMessageContaining("quality.shadow.daily_budget_usd: -1.0 (expected: >= 0)");
        assertThatThrownBy(() -> parse("quality:\n  retention_days: 0\n"))
                .hasMessageContaining("quality.retention_days: 0 (expected: >= 1)");
        assertThatThrownBy(() -> parse("quality:\n  feedback_window_hours: -2\n"))
                .hasMessageContaining("quality.feedback_window_hours: -2 (expected: >= 0)");
        assertThatThrownBy(() -> parse("quality:\n  shadow: {rate: 0.1}\n"))
                .hasMessageContaining("quality.shadow.rate: unknown field").hasMessageContaining("sample_rate");
    }

    private GearboxConfig parse(String extra) {
        return loader.parse("""
                providers:
                  sim: {type: simulated}
                """ + extra, "gearbox.yaml");
    }
}
