package dev.gearbox.providers.bedrock;

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

class ConverseToChatAnswerTest {

    private static TranslatedAnswer answer(String fixture, String jsonTool) {
        return ConverseToChatAnswer.translate(Buffer.buffer(Fixtures.text("bedrock/" + fixture)), "application/json", jsonTool,
                "chatcmpl-1", "us.anthropic.claude-sonnet-4-20250514-v1:0", 1_700_000_000);
    }

    private static JsonObject choice(TranslatedAnswer answer) {
        return new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0);
    }

    @Test
    void aTextAnswerIsAChatCompletionWithItsUsage() {
        TranslatedAnswer answer = answer("converse-text.json", null);

        assertThat(choice(answer).getJsonObject("message").getString("content"))
                .isEqualTo("Hello! I'm doing well, thank you. How can I help you today?");
        assertThat(choice(answer).getString("finish_reason")).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(12, 0, 17, 0, false));
    }

    @Test
    void aToolUseIsAToolCall() {
        TranslatedAnswer answer = answer("converse-tool-use.json", null);

        JsonObject call = choice(answer).getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id")).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("top_song");
        assertThat(new JsonObject(call.getJsonObject("function").getString("arguments"))).isEqualTo(new JsonObject("{\"sign\":\"WZPZ\"}"));
        assertThat(choice(answer).getString("finish_reason")).isEqualTo("tool_calls");
    }

    @Test
    void reasoningComesWithItsSignatureAndCacheReadsAndWritesAreCountedApart() {
        TranslatedAnswer answer = answer("converse-reasoning.json", null);

        JsonObject message = choice(answer).getJsonObject("message");
        assertThat(message.getString("reasoning_content")).startsWith("27 * 453 = 27 * 400");
        assertThat(message.getJsonArray("thinking_blocks").getJsonObject(0).getString("signature")).startsWith("ErUBCkYIBxgC");
        assertThat(answer.usage()).isEqualTo(new Usage(5548, 4000, 120, 0, false, 1500));
    }

    @Test
    void theJsonToolsInputIsTheAnswer() {
        TranslatedAnswer answer = answer("converse-tool-use.json", "top_song");

        assertThat(choice(answer).getJsonObject("message").getString("content")).isEqualTo(
                "I'll look up the top song on WZPZ.{\"sign\":\"WZPZ\"}");
        assertThat(choice(answer).getJsonObject("message").containsKey("tool_calls")).isFalse();
    }

    @Test
    void aThrottlingBodyIsReadAndAnErrorIn200IsNotAnAnswer() {
        assertThat(BedrockErrors.read(429, Buffer.buffer(Fixtures.text("bedrock/error-429-throttling.json"))))
                .isEqualTo(new ProviderError("Too many requests, please wait before trying again. You have sent too many "
                        + "requests.  Wait before trying again.", null, "throttling_exception", null));
        assertThatThrownBy(() -> ConverseToChatAnswer.translate(Buffer.buffer("{\"message\":\"oops\"}"), "application/json",
                null, "x", "m", 0)).isInstanceOf(NotAnAnswer.class).hasMessageContaining("oops");
    }
}
