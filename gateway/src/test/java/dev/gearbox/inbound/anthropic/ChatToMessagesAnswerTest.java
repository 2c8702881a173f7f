package dev.gearbox.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ChatToMessagesAnswerTest {

    @Test
    void rendersThinkingTextToolUseAndCacheUsageAsAMessage() {
        JsonObject message = ChatToMessagesAnswer.translate(Fixtures.json("anthropic-inbound/chat-completion-thinking-tools.json"));

        assertThat(message).isEqualTo(Fixtures.json("anthropic-inbound/messages-answer-thinking-tools.json"));
    }

    @Test
    void rendersAPlainOpenAiCompletion() {
        JsonObject message = ChatToMessagesAnswer.translate(Fixtures.json("openai/chat-completion.json"));

        assertThat(message.getString("id")).startsWith("msg_");
        assertThat(message.getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("The capital of France is Paris.");
        assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
        assertThat(message.getJsonObject("usage").getLong("input_tokens")).isPositive();
    }

    @Test
    void givesUnsignedThinkingForReasoningContentWithoutBlocks() {
        JsonObject completion = new JsonObject("""
                {"id":"x","model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"9.8","reasoning_content":"Compare the decimals."},"finish_reason":"length"}]}""");

        JsonObject message = ChatToMessagesAnswer.translate(completion);

        assertThat(message.getJsonArray("content").getJsonObject(0)).isEqualTo(new JsonObject()
                .put("type", "thinking").put("thinking", "Compare the decimals.").put("signature", ""));
        assertThat(message.getString("stop_reason")).isEqualTo("max_tokens");
    }
}
