package dev.gearbox.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ResponsesToChatTest {

    @Test
    void translatesTheSpecsFunctionToolRequestToChat() {
        JsonObject body = Fixtures.json("responses/request-function-tool.json");

        ChatRequest chat = ResponsesToChat.translate(body, 700);

        assertThat(chat.body().getJsonArray("messages")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "What is the weather like in Boston today?")));
        JsonObject tool = chat.body().getJsonArray("tools").getJsonObject(0);
        assertThat(tool.getString("type")).isEqualTo("function");
        assertThat(tool.getJsonObject("function").getString("name")).isEqualTo("get_current_weather");
        assertThat(tool.getJsonObject("function").getJsonObject("parameters"))
                .isEqualTo(body.getJsonArray("tools").getJsonObject(0).getJsonObject("parameters"));
        assertThat(chat.body().getValue("tool_choice")).isEqualTo("auto");
        assertThat(chat.model()).isEqualTo("gpt-5.4");
        assertThat(chat.nativeRequest()).hasValueSatisfying(n -> {
            assertThat(n.format()).isEqualTo(WireFormat.OPENAI_RESPONSES);
            assertThat(n.body()).isSameAs(body);
            assertThat(n.sizeBytes()).isEqualTo(700);
        });
    }

    @Test
    void turnsInstructionsItemsAndSettingsIntoTheirChatFields() {
        JsonObject body = new JsonObject("""
                {"model":"auto","instructions":"Be terse.","stream":true,"max_output_tokens":50,"temperature":0,
                 "reasoning":{"effort":"low"},"metadata":{"team":"a"},"store":false,
                 "text":{"format":{"type":"json_schema","name":"city","schema":{"type":"object"},"strict":true}},
                 "tool_choice":{"type":"function","name":"f"},
                 "input":[
                   {"role":"user","content":[{"type":"input_text","text":"look: "},
                                             {"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
                   {"type":"message","role":"assistant","content":[{"type":"output_text","text":"calling"}]},
                   {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},
                   {"type":"function_call","call_id":"call_2","name":"g","arguments":"{\\"a\\":1}"},
                   {"type":"reasoning","id":"rs_1","summary":[]},
                   {"type":"function_call_output","call_id":"call_1","output":"one"},
                   {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"two"}]}
                 ]}""");

        JsonObject chat = ResponsesToChat.translate(body, 10).body();

        assertThat(chat.getJsonArray("messages")).isEqualTo(new JsonArray("""
                [{"role":"system","content":"Be terse."},
                 {"role":"user","content":[{"type":"text","text":"look: "},
                                           {"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]},
                 {"role":"assistant","content":"calling","tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},
                    {"id":"call_2","type":"function","function":{"name":"g","arguments":"{\\"a\\":1}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"one"},
                 {"role":"tool","tool_call_id":"call_2","content":"two"}]"""));
        assertThat(chat.getValue("max_tokens")).isEqualTo(50);
        assertThat(chat.getValue("reasoning_effort")).isEqualTo("low");
        assertThat(chat.getValue("temperature")).isEqualTo(0);
        assertThat(chat.getJsonObject("stream_options").getValue("include_usage")).isEqualTo(true);
        assertThat(chat.getJsonObject("response_format")).isEqualTo(new JsonObject("""
                {"type":"json_schema","json_schema":{"name":"city","schema":{"type":"object"},"strict":true}}"""));
        assertThat(chat.getJsonObject("tool_choice")).isEqualTo(new JsonObject("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"));
        // The gateway's own settings are not sent to a chat upstream.
        assertThat(chat.fieldNames()).doesNotContain("metadata", "store", "instructions", "input", "text", "reasoning");
    }

    @Test
    void putsInstructionsBeforeTheItemsOfEarlierTurns() {
        JsonArray items = new JsonArray("""
                [{"type":"message","role":"user","content":"hi"},
                 {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                  "content":[{"type":"output_text","text":"hello","annotations":[]}]},
                 {"type":"message","role":"user","content":"again"}]""");
        JsonObject body = new JsonObject().put("model", "auto").put("instructions", "sys").put("input", items);

        JsonArray messages = ResponsesToChat.translate(body, 10).body().getJsonArray("messages");

        assertThat(messages.stream().map(m -> ((JsonObject) m).getString("content")))
                .containsExactly("sys", "hi", "hello", "again");
    }

    @Test
    void refusesWhatChatCompletionsCannotDoNamingTheField() {
        assertThatThrownBy(() -> ResponsesToChat.translate(new JsonObject(
                "{\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"web_search\"}]}"), 1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("tools[1].type");
                    assertThat(e.getMessage()).contains("'web_search'");
                });
        assertThatThrownBy(() -> ResponsesToChat.translate(new JsonObject(
                "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}"), 1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("input[0].content[0].type"));
    }
}
