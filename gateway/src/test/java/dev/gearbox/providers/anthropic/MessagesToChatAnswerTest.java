package dev.gearbox.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MessagesToChatAnswerTest {

    private static final dev.gearbox.providers.UpstreamTarget MESSAGES = dev.gearbox.providers.UpstreamTarget.post("/messages", dev.gearbox.providers.Authentication.NONE);

    private static TranslatedAnswer answer(String fixture) {
        return MessagesTranslator.of(MESSAGES, 1_700_000_000).answer(Buffer.buffer(Fixtures.text("anthropic/" + fixture)),
                "application/json");
    }

    @Test
    void translatesTextWithUsage() {
        TranslatedAnswer answer = answer("messages-text.json");
        JsonObject completion = new JsonObject(answer.body());
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        assertThat(completion.getLong("created")).isEqualTo(1_700_000_000L);
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Hello! How can I help you today?");
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(answer.usage()).isEqualTo(new Usage(12, 0, 10, 0, false, 0));
    }

    @Test
    void translatesToolUseIntoToolCalls() {
        JsonObject choice = new JsonObject(answer("messages-tool-use.json").body()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
        JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id")).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
        assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
                .isEqualTo(new JsonObject().put("location", "Paris, France"));
    }

    @Test
    void keepsThinkingAsReasoningContentAndBlocksWithSignaturesAndCountsCacheTokens() {
        TranslatedAnswer answer = answer("messages-thinking.json");
        JsonObject completion = new JsonObject(answer.body());
        JsonObject message = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("content")).isEqualTo("27 * 453 = 12,231");
        assertThat(message.getString("reasoning_content")).isEqualTo("The user asks for 27 * 453. 27 * 453 = 12231.");
        JsonObject original = Fixtures.json("anthropic/messages-thinking.json");
        assertThat(message.getJsonArray("thinking_blocks"))
                .isEqualTo(new io.vertx.core.json.JsonArray(original.getJsonArray("content").getList().subList(0, 2)));
        // 2048 uncached + 4000 read + 1500 written.
        assertThat(answer.usage()).isEqualTo(new Usage(7548, 4000, 120, 0, false, 1500));
        assertThat(Usage.fromJson(completion.getJsonObject("usage"))).isEqualTo(answer.usage());
    }

    @Test
    void givesTheInputOfTheForcedJsonToolAsTheContent() {
        String chat = Fixtures.text("anthropic/chat-json-schema.json");
        MessagesTranslator translator = MessagesTranslator.of(MESSAGES, 0);
        translator.request(ChatRequest.parse(Buffer.buffer(chat)),
                ChatToMessagesRequestTest.model("claude-3-5-haiku", "claude-3-5-haiku-20241022", 8192));
        JsonObject choice = new JsonObject(translator.answer(
                Buffer.buffer(Fixtures.text("anthropic/messages-json-schema-answer.json")), "application/json").body())
                .getJsonArray("choices").getJsonObject(0);
        assertThat(new JsonObject(choice.getJsonObject("message").getString("content")))
                .isEqualTo(new JsonObject().put("city", "Lyon"));
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    }

    @Test
    void refusesAnErrorIn200AndHtml() {
        assertThatThrownBy(() -> MessagesTranslator.of(MESSAGES, 0).answer(
                Buffer.buffer(Fixtures.text("anthropic/error-529-overloaded.json")), "application/json"))
                .isInstanceOfSatisfying(NotAnAnswer.class, e -> assertThat(e.code()).isEqualTo("error_in_200"));
        assertThatThrownBy(() -> MessagesTranslator.of(MESSAGES, 0).answer(Buffer.buffer("<html>"), "text/html"))
                .isInstanceOfSatisfying(NotAnAnswer.class, e -> assertThat(e.code()).isEqualTo("wrong_content_type"));
    }

    @Test
    void readsAnthropicErrors() {
        ProviderError overloaded = MessagesTranslator.of(MESSAGES, 0).error(529,
                Buffer.buffer(Fixtures.text("anthropic/error-529-overloaded.json")));
        assertThat(overloaded).isEqualTo(new ProviderError("Overloaded", "overloaded_error", null, null));
        assertThat(MessagesTranslator.of(MESSAGES, 0).error(429, Buffer.buffer(Fixtures.text("anthropic/error-429-rate-limit.json")))
                .type()).isEqualTo("rate_limit_error");
    }
}
