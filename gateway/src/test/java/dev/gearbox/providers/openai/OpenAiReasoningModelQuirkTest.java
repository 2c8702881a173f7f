package dev.gearbox.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OpenAiReasoningModelQuirkTest {

    private final OpenAiReasoningModelQuirk quirk = new OpenAiReasoningModelQuirk();

    @Test
    void appliesToOSeriesAndGpt5ButNotToGpt4o() {
        assertThat(quirk.appliesTo("o1")).isTrue();
        assertThat(quirk.appliesTo("o3-mini")).isTrue();
        assertThat(quirk.appliesTo("o4-mini-2025-04-16")).isTrue();
        assertThat(quirk.appliesTo("openai/o3")).isTrue();
        assertThat(quirk.appliesTo("gpt-5-mini")).isTrue();
        assertThat(quirk.appliesTo("gpt-4o")).isFalse();
        assertThat(quirk.appliesTo("gpt-4o-mini")).isFalse();
        assertThat(quirk.appliesTo("omni-moderation-latest")).isFalse();
    }

    @Test
    void renamesTheTokenLimitAndDropsNonDefaultSampling() {
        JsonObject body = Fixtures.json("quirks/gpt4o-style-request.json");

        quirk.apply(body);

        assertThat(body).isEqualTo(Fixtures.json("quirks/gpt4o-style-request.o-series.json"));
    }

    @Test
    void keepsAnExplicitCompletionLimit() {
        JsonObject body = new JsonObject().put("max_tokens", 10).put("max_completion_tokens", 99);

        quirk.apply(body);

        assertThat(body).isEqualTo(new JsonObject().put("max_completion_tokens", 99));
    }
}
