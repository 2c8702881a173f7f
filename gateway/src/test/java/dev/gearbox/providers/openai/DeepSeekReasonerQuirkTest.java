package dev.gearbox.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DeepSeekReasonerQuirkTest {

    private final DeepSeekReasonerQuirk quirk = new DeepSeekReasonerQuirk();

    @Test
    void appliesOnlyToTheReasoner() {
        assertThat(quirk.appliesTo("deepseek-reasoner")).isTrue();
        assertThat(quirk.appliesTo("deepseek/deepseek-reasoner")).isTrue();
        assertThat(quirk.appliesTo("deepseek-chat")).isFalse();
    }

    @Test
    void removesReasoningContentFromHistory() {
        JsonObject body = Fixtures.json("quirks/deepseek-multi-turn-request.json");

        quirk.apply(body);

        assertThat(body).isEqualTo(Fixtures.json("quirks/deepseek-multi-turn-request.reasoner.json"));
    }
}
