package dev.gearbox.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cost.Usage;
import dev.gearbox.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesToChatStreamTest {

    private static final dev.gearbox.providers.UpstreamTarget MESSAGES = dev.gearbox.providers.UpstreamTarget.post("/messages", dev.gearbox.providers.Authentication.NONE);

    /** The canonical events for a recorded stream, fed in small pieces as a network delivers them. */
    private static List<String> events(String fixture) {
        byte[] bytes = Buffer.buffer(Fixtures.text("anthropic/" + fixture)).getBytes();
        MessagesTranslator translator = MessagesTranslator.of(MESSAGES, 1_700_000_000);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 37) {
            translator.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(37, bytes.length - i)),
                    e -> events.add(e.toString()));
        }
        return events;
    }

    private static JsonObject delta(String event) {
        return new JsonObject(event).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }

    @Test
    void translatesTextEventsIntoChunksEndingInUsageAndDone() {
        List<String> events = events("messages-text-stream.sse");
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            JsonObject chunk = new JsonObject(event);
            assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
            assertThat(chunk.getString("id")).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
            JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
            text.append(choice.getJsonObject("delta").getString("content", ""));
            finish = choice.getString("finish_reason", finish);
        }
        assertThat(text.toString()).isEqualTo("Hello! How can I help you today?");
        assertThat(finish).isEqualTo("stop");
        JsonObject usageChunk = new JsonObject(events.get(events.size() - 2));
        assertThat(usageChunk.getJsonArray("choices")).isEmpty();
        assertThat(Usage.fromJson(usageChunk.getJsonObject("usage"))).isEqualTo(new Usage(12, 0, 10, 0, false, 0));
    }

    @Test
    void translatesToolUseIntoToolCallDeltas() {
        List<String> events = events("messages-tool-use-stream.sse");
        StringBuilder arguments = new StringBuilder();
        String id = null;
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            JsonObject choice = new JsonObject(event).getJsonArray("choices").getJsonObject(0);
            finish = choice.getString("finish_reason", finish);
            if (choice.getJsonObject("delta").getValue("tool_calls") instanceof JsonArray calls) {
                JsonObject call = calls.getJsonObject(0);
                assertThat(call.getInteger("index")).isZero();
                id = call.getString("id", id);
                arguments.append(call.getJsonObject("function").getString("arguments"));
            }
        }
        assertThat(id).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(new JsonObject(arguments.toString())).isEqualTo(new JsonObject().put("location", "Paris, France"));
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void sendsThinkingAsReasoningContentAndTheWholeSignedBlock() {
        List<String> events = events("messages-thinking-stream.sse");
        StringBuilder reasoning = new StringBuilder();
        JsonArray blocks = new JsonArray();
        for (String event : events.subList(0, events.size() - 2)) {
            JsonObject delta = delta(event);
            reasoning.append(delta.getString("reasoning_content", ""));
            if (delta.getValue("thinking_blocks") instanceof JsonArray b) {
                b.forEach(blocks::add);
            }
        }
        assertThat(reasoning.toString()).isEqualTo("The user asks for 27 * 453. 27 * 453 = 12231.");
        assertThat(blocks).isEqualTo(new JsonArray(Fixtures.json("anthropic/messages-thinking.json")
                .getJsonArray("content").getList().subList(0, 1)));
        assertThat(Usage.fromJson(new JsonObject(events.get(events.size() - 2)).getJsonObject("usage")))
                .isEqualTo(new Usage(7548, 4000, 120, 0, false, 1500));
    }

    @Test
    void turnsAnErrorEventIntoAnOpenAiErrorEventWithoutDone() {
        List<String> events = events("messages-error-stream.sse");
        JsonObject last = new JsonObject(events.get(events.size() - 1));
        assertThat(last.getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
        assertThat(events).doesNotContain("[DONE]");
    }
}
