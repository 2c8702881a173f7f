package dev.gearbox.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatToMessagesRequestTest {

    private static final dev.gearbox.providers.UpstreamTarget MESSAGES = dev.gearbox.providers.UpstreamTarget.post("/messages", dev.gearbox.providers.Authentication.NONE);

    private static final ModelConfig SONNET = model("claude-sonnet-4", "claude-sonnet-4-20250514", 64000);
    private static final ModelConfig HAIKU = model("claude-3-5-haiku", "claude-3-5-haiku-20241022", 8192);

    static ModelConfig model(String id, String upstream, Integer maxOutputTokens) {
        return new ModelConfig(id, "anthropic", upstream, null, null, null, null, null, null, null, null, null,
                maxOutputTokens);
    }

    private static JsonObject upstreamBody(String chatFixture, ModelConfig model) {
        ChatRequest request = ChatRequest.parse(Buffer.buffer(Fixtures.text("anthropic/" + chatFixture)));
        return MessagesTranslator.of(MESSAGES, 0).request(request, model).json();
    }

    @Test
    void translatesSystemImagesToolCallsAndToolResultsIntoAlternatingTurns() {
        assertThat(upstreamBody("chat-multi-turn-tools.json", SONNET))
                .isEqualTo(Fixtures.json("anthropic/messages-multi-turn-tools.json"));
    }

    @Test
    void sendsThinkingBlocksBackWithTheirSignaturesAndBudgetsReasoningEffort() {
        assertThat(upstreamBody("chat-thinking-round-trip.json", SONNET))
                .isEqualTo(Fixtures.json("anthropic/messages-thinking-round-trip.json"));
    }

    @Test
    void forcesAJsonSchemaThroughATool() {
        assertThat(upstreamBody("chat-json-schema.json", HAIKU))
                .isEqualTo(Fixtures.json("anthropic/messages-json-schema.json"));
    }

    @Test
    void defaultsMaxTokensWhenTheCatalogKnowsNone() {
        JsonObject body = upstreamBody("chat-json-schema.json", model("c", "c-1", null));
        assertThat(body.getInteger("max_tokens")).isEqualTo(ChatToMessagesRequest.DEFAULT_MAX_TOKENS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"n\": 2                                  | n",
            "\"logprobs\": true                        | logprobs",
            "\"presence_penalty\": 0.5                 | presence_penalty",
            "\"seed\": 7                               | seed",
            "\"logit_bias\": {\"50256\": -100}         | logit_bias",
            "\"temperature\": 1.5                      | temperature",
            "\"reasoning_effort\": \"extreme\"         | reasoning_effort",
            "\"max_tokens\": 500, \"reasoning_effort\": \"low\" | reasoning_effort",
            "\"modalities\": [\"audio\"]               | modalities",
    })
    void refusesAChatFieldAnthropicCannotExpressNamingIt(String field, String param) {
        String body = "{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + field + "}";
        ChatRequest request = ChatRequest.parse(Buffer.buffer(body));
        assertThatThrownBy(() -> MessagesTranslator.of(MESSAGES, 0).request(request, SONNET))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).contains(param);
                });
    }

    @Test
    void refusesAudioPartsNamingThePart() {
        String body = """
                {"model":"c","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]}""";
        assertThatThrownBy(() -> MessagesTranslator.of(MESSAGES, 0).request(ChatRequest.parse(Buffer.buffer(body)), SONNET))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].type"));
    }

    @Test
    void refusesToolCallArgumentsThatAreNotJson() {
        String body = """
                {"model":"c","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[
                {"id":"t1","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""";
        assertThatThrownBy(() -> MessagesTranslator.of(MESSAGES, 0).request(ChatRequest.parse(Buffer.buffer(body)), SONNET))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[1].tool_calls[0].function.arguments"));
    }
}
