package dev.gearbox.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GeminiToChatAnswerTest {

    private static TranslatedAnswer answer(String fixture) {
        return GeminiToChatAnswer.translate(Buffer.buffer(Fixtures.text("gemini/" + fixture)), "application/json", 1_700_000_000);
    }

    private static JsonObject choice(TranslatedAnswer answer) {
        return new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0);
    }

    @Test
    void aTextAnswerIsAChatCompletionWithItsUsage() {
        TranslatedAnswer answer = answer("text.json");

        JsonObject completion = new JsonObject(answer.body());
        assertThat(completion.getString("id")).isEqualTo("mAitaLmkHPPlz7IPvtfUqQ4");
        assertThat(completion.getString("model")).isEqualTo("gemini-2.5-flash");
        assertThat(choice(answer).getJsonObject("message").getString("content"))
                .isEqualTo("AI learns patterns from data to make predictions.");
        assertThat(choice(answer).getString("finish_reason")).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(8, 0, 10, 0, false));
    }

    @Test
    void aFunctionCallIsAToolCallKeepingItsThoughtSignatureAndThinkingCountsAsOutput() {
        TranslatedAnswer answer = answer("tool-call.json");

        JsonObject call = choice(answer).getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
        assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
                .isEqualTo(new JsonObject("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"));
        assertThat(call.getString("id")).startsWith("call_gx_");
        assertThat(call.containsKey("index")).isFalse();
        assertThat(call.getJsonObject("extra_content").getJsonObject("google").getString("thought_signature"))
                .startsWith("CiQB0e2K");
        assertThat(choice(answer).getString("finish_reason")).isEqualTo("tool_calls");
        assertThat(answer.usage()).isEqualTo(new Usage(61, 0, 99, 78, false));
    }

    @Test
    void thoughtSummariesAreReasoningContentAndCachedTokensAreCounted() {
        TranslatedAnswer answer = answer("thinking.json");

        JsonObject message = choice(answer).getJsonObject("message");
        assertThat(message.getString("reasoning_content")).startsWith("**Comparing the numbers**");
        assertThat(message.getString("content")).isEqualTo("9.9 is larger than 9.11.");
        assertThat(message.getJsonObject("extra_content").getJsonObject("google").getString("thought_signature"))
                .startsWith("Cs8DAdHt");
        assertThat(answer.usage()).isEqualTo(new Usage(2040, 2000, 355, 346, false));
    }

    @Test
    void aBlockedPromptIsAFilteredAnswer() {
        TranslatedAnswer answer = answer("blocked-prompt.json");

        assertThat(choice(answer).getString("finish_reason")).isEqualTo("content_filter");
        assertThat(choice(answer).getJsonObject("message").getValue("content")).isNull();
    }

    @Test
    void anErrorOrWrongBodyIsNotAnAnswer() {
        assertThatThrownBy(() -> GeminiToChatAnswer.translate(Buffer.buffer(Fixtures.text("gemini/error-400.json")),
                "application/json", 0)).isInstanceOf(NotAnAnswer.class).hasMessageContaining("contents is not specified");
        assertThatThrownBy(() -> GeminiToChatAnswer.translate(Buffer.buffer("<html>"), "text/html", 0))
                .isInstanceOf(NotAnAnswer.class);
    }

    @Test
    void readsGooglesErrorShape() {
        assertThat(GeminiErrors.read(Buffer.buffer(Fixtures.text("gemini/error-429.json"))))
                .isEqualTo(new ProviderError("You exceeded your current quota, please check your plan and billing details.",
                        "rate_limit_error", "resource_exhausted", null));
        assertThat(GeminiErrors.read(Buffer.buffer("[" + Fixtures.text("gemini/error-400.json") + "]")).type())
                .isEqualTo("invalid_request_error");
    }
}
