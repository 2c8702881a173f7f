package dev.gearbox.providers.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ChatToConverseRequestTest {

    private static final ModelConfig CLAUDE = new ModelConfig("claude-sonnet-4", "bedrock",
            "us.anthropic.claude-sonnet-4-20250514-v1:0", null, null, null, null, null, null, null, null, null, 64000);
    private static final ModelConfig NOVA = ModelConfig.of("amazon.nova-lite-v1:0", "bedrock");

    private static JsonObject sent(String body, ModelConfig model, String routedEffort) {
        return ChatToConverseRequest.translate(ChatRequest.parse(Buffer.buffer(body)).body(), model, routedEffort);
    }

    @Test
    void sendsSystemAnImageToolsAnEarlierCallAndItsResultAsConverseTakesThem() {
        assertThat(sent(Fixtures.text("bedrock/chat-tools-turns.json"), CLAUDE, null))
                .isEqualTo(Fixtures.json("bedrock/chat-tools-turns.converse.json"));
    }

    @Test
    void aRoutedEffortIsClaudesThinkingBudgetWhereThinkingIsAllowedAndLeftOutWhereNot() {
        String plain = "{\"messages\":[{\"role\":\"user\",\"content\":\"27 * 453?\"}]}";
        String hot = "{\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"27 * 453?\"}]}";

        assertThat(sent(plain, CLAUDE, "medium").getJsonObject("additionalModelRequestFields")).isEqualTo(new JsonObject(
                "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}}"));
        assertThat(sent(plain, CLAUDE, "medium").getJsonObject("inferenceConfig").getInteger("maxTokens")).isEqualTo(64000);
        assertThat(sent(hot, CLAUDE, "medium").containsKey("additionalModelRequestFields")).isFalse();
        assertThat(sent(plain, NOVA, "high").containsKey("additionalModelRequestFields")).isFalse();
    }

    @Test
    void aClientsEffortThatCannotBeHadIsA400() {
        assertThatThrownBy(() -> sent("{\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                NOVA, null)).isInstanceOf(ApiException.class).hasMessageContaining("Claude models only");
        assertThatThrownBy(() -> sent("{\"reasoning_effort\":\"high\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}", CLAUDE, null)).isInstanceOf(ApiException.class).hasMessageContaining("temperature");
    }

    @Test
    void aJsonSchemaIsOneForcedToolWhoseInputIsTheAnswer() {
        JsonObject sent = sent("""
                {"messages":[{"role":"user","content":"A city"}],"response_format":{"type":"json_schema",
                 "json_schema":{"name":"city","schema":{"type":"object","properties":{"name":{"type":"string"}}}}}}""", CLAUDE, null);

        assertThat(sent.getJsonObject("toolConfig")).isEqualTo(new JsonObject("""
                {"tools":[{"toolSpec":{"name":"json_response","description":"Answer with the JSON the user asked for.",
                 "inputSchema":{"json":{"type":"object","properties":{"name":{"type":"string"}}}}}}],
                 "toolChoice":{"tool":{"name":"json_response"}}}"""));
    }

    @Test
    void refusesAnImageByUrlAndFieldsConverseCannotExpress() {
        assertThatThrownBy(() -> sent("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}", CLAUDE, null))
                .isInstanceOf(ApiException.class).hasMessageContaining("base64 data URL");
        assertThatThrownBy(() -> sent("{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", CLAUDE, null))
                .isInstanceOf(ApiException.class).hasMessageContaining("'n' is not supported by Bedrock models");
    }
}
