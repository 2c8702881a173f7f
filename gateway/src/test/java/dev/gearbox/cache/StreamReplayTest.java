package dev.gearbox.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.wire.CompletionAssembler;
import dev.gearbox.wire.SseParser;
import dev.gearbox.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StreamReplayTest {

    @Test
    void aRecordedStreamAssemblesIntoTheCompletionOfTheSameAnswer() {
        CompletionAssembler assembler = assemble(Fixtures.text("openai/chat-completion-stream.sse"));
        JsonObject completion = assembler.completion();

        JsonObject message = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
        assertThat(message.getString("content")).isEqualTo("The capital of France is Paris.");
        assertThat(completion.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
        assertThat(completion.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(22);
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
    }

    @Test
    void toolCallDeltasAssembleIntoOneCall() {
        JsonObject completion = assemble(Fixtures.text("openai/tool-call-stream.sse")).completion();

        JsonObject call = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id")).isEqualTo("call_Dn2RJJSxzDm49vlVTehseJ0k");
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
        assertThat(call.getJsonObject("function").getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
    }

    @Test
    void aCompletionReplayedAsAStreamAssemblesBackIntoItself() {
        JsonObject original = Fixtures.json("openai/chat-completion.json");
        JsonObject withTools = Fixtures.json("openai/tool-call.json");

        for (JsonObject completion : new JsonObject[] {original, withTools}) {
            String sse = StreamReplay.events(completion, true).toString();
            assertThat(sse).endsWith("data: [DONE]\n\n");
            JsonObject back = assemble(sse).completion();
            assertThat(back.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("content"))
                    .isEqualTo(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("content"));
            assertThat(back.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("tool_calls"))
                    .isEqualTo(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("tool_calls"));
            assertThat(back.getJsonObject("usage")).isEqualTo(completion.getJsonObject("usage"));
        }
    }

    private static CompletionAssembler assemble(String sse) {
        CompletionAssembler assembler = new CompletionAssembler();
        SseParser parser = new SseParser(1 << 20, data -> {
            if (!data.toString().equals("[DONE]")) {
                assembler.add(data.toBuffer());
            }
        });
        parser.feed(Buffer.buffer(sse));
        return assembler;
    }
}
