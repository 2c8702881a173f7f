package dev.gearbox.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ChatToGeminiRequestTest {

    private static final ModelConfig FLASH = ModelConfig.of("gemini-2.5-flash", "gemini");
    private static final GeminiTranslator TRANSLATOR = GeminiTranslator.of(
            UpstreamTarget.post("/models/gemini-2.5-flash:generateContent", Authentication.NONE),
            UpstreamTarget.post("/models/gemini-2.5-flash:streamGenerateContent", Authentication.NONE).withQuery("alt=sse"), 0);

    private static JsonObject sent(ChatRequest request) {
        return TRANSLATOR.request(request, FLASH).json();
    }

    private static ChatRequest chat(String body) {
        return ChatRequest.parse(Buffer.buffer(body));
    }

    @Test
    void sendsSystemImagesToolsAnEarlierCallWithItsSignatureAndItsResultAsGeminiTakesThem() {
        JsonObject sent = sent(ChatRequest.parse(Buffer.buffer(Fixtures.text("gemini/chat-tools-turns.json"))));

        assertThat(sent).isEqualTo(Fixtures.json("gemini/chat-tools-turns.gemini.json"));
    }

    @Test
    void goesToGenerateContentOrToTheSseStream() {
        assertThat(TRANSLATOR.target(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), FLASH).pathAndQuery())
                .isEqualTo("/models/gemini-2.5-flash:generateContent");
        assertThat(TRANSLATOR.target(chat("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), FLASH)
                .pathAndQuery()).isEqualTo("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    }

    @Test
    void asksForJsonWithTheClientsSchema() {
        JsonObject sent = sent(chat("""
                {"messages":[{"role":"user","content":"A city"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object",
                   "properties":{"name":{"type":"string"}},"required":["name"]}}}}"""));

        assertThat(sent.getJsonObject("generationConfig")).isEqualTo(new JsonObject("""
                {"responseMimeType":"application/json","responseJsonSchema":{"type":"object",
                 "properties":{"name":{"type":"string"}},"required":["name"]}}"""));
    }

    @Test
    void aRoutedEffortReplacesTheClientsAndNeverTurnsThinkingOff() {
        ChatRequest request = chat("{\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(sent(request.withRoutedEffort("medium")).getJsonObject("generationConfig").getJsonObject("thinkingConfig"))
                .isEqualTo(new JsonObject("{\"thinkingBudget\":8192,\"includeThoughts\":true}"));
        assertThat(sent(request.withRoutedEffort("none")).getJsonObject("generationConfig").getJsonObject("thinkingConfig")
                .getInteger("thinkingBudget")).isEqualTo(512);
        assertThat(sent(chat("{\"reasoning_effort\":\"none\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .getJsonObject("generationConfig").getJsonObject("thinkingConfig"))
                .isEqualTo(new JsonObject("{\"thinkingBudget\":0,\"includeThoughts\":false}"));
    }

    @Test
    void forcesOneFunctionAndMapsRequiredToAny() {
        JsonObject named = sent(chat("""
                {"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}}}"""));
        JsonObject required = sent(chat("""
                {"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],
                 "tool_choice":"required"}"""));

        assertThat(named.getJsonObject("toolConfig")).isEqualTo(new JsonObject(
                "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\"]}}"));
        assertThat(required.getJsonObject("toolConfig").getJsonObject("functionCallingConfig").getString("mode")).isEqualTo("ANY");
    }

    @Test
    void refusesWhatGeminiCannotExpressNamingTheField() {
        assertThatThrownBy(() -> sent(chat("{\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("'logprobs' is not supported by Gemini models");
        assertThatThrownBy(() -> sent(chat("{\"audio\":{},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("'audio'");
        assertThatThrownBy(() -> sent(chat("{\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"1\"}]}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("Gemini needs the function's name");
    }

    @Test
    void wrapsAToolResultThatIsNotAnObject() {
        JsonObject sent = sent(chat("""
                {"messages":[{"role":"user","content":"x"},
                 {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"sunny"}]}"""));

        assertThat(sent.getJsonArray("contents").getJsonObject(2).getJsonArray("parts").getJsonObject(0))
                .isEqualTo(new JsonObject("{\"functionResponse\":{\"name\":\"f\",\"id\":\"c1\",\"response\":{\"result\":\"sunny\"}}}"));
    }
}
