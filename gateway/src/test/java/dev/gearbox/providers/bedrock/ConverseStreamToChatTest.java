package dev.gearbox.providers.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.cost.Usage;
import dev.gearbox.testing.EventStreamFrames;
import dev.gearbox.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConverseStreamToChatTest {

    /** The canonical events of framed bytes, fed in pieces of 13 bytes, so frames and their preludes are split. */
    private static List<String> events(byte[] bytes) {
        ConverseStreamToChat stream = new ConverseStreamToChat(null, "chatcmpl-1", "m", 1_700_000_000);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 13) {
            stream.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(13, bytes.length - i)), e -> events.add(e.toString()));
        }
        return events;
    }

    private static JsonObject choice(String event) {
        return new JsonObject(event).getJsonArray("choices").getJsonObject(0);
    }

    @Test
    void textDeltasAssembleToTheWholeAnswerEndingInUsageAndDone() {
        List<String> events = events(EventStreamFrames.of("bedrock/converse-stream-text.json"));

        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            text.append(choice(event).getJsonObject("delta").getString("content", ""));
            finish = choice(event).getString("finish_reason", finish);
        }
        assertThat(text.toString()).isEqualTo("Hello! I'm doing well, thank you. How can I help you today?");
        assertThat(finish).isEqualTo("stop");
        assertThat(Usage.fromJson(new JsonObject(events.get(events.size() - 2)).getJsonObject("usage")))
                .isEqualTo(new Usage(12, 0, 17, 0, false));
    }

    @Test
    void aToolUsesInputArrivesAsArgumentDeltasOfOneCall() {
        List<String> events = events(EventStreamFrames.of("bedrock/converse-stream-tool-use.json"));

        StringBuilder arguments = new StringBuilder();
        String id = null;
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            finish = choice(event).getString("finish_reason", finish);
            if (choice(event).getJsonObject("delta").getValue("tool_calls") instanceof JsonArray calls) {
                assertThat(calls.getJsonObject(0).getInteger("index")).isZero();
                id = calls.getJsonObject(0).getString("id", id);
                arguments.append(calls.getJsonObject(0).getJsonObject("function").getString("arguments"));
            }
        }
        assertThat(id).isEqualTo("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        assertThat(new JsonObject(arguments.toString())).isEqualTo(new JsonObject("{\"sign\":\"WZPZ\"}"));
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void anExceptionFrameMidStreamIsAnErrorEventAndNoDoneFollows() {
        List<String> events = events(EventStreamFrames.of("bedrock/converse-stream-throttled.json"));

        assertThat(events).doesNotContain("[DONE]");
        JsonObject error = new JsonObject(events.get(events.size() - 1)).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("throttlingException");
        assertThat(error.getString("message")).isEqualTo("Too many tokens, please wait before trying again.");
    }

    @Test
    void aFrameWhoseChecksumFailsFailsTheStream() {
        byte[] bytes = EventStreamFrames.of("bedrock/converse-stream-text.json");
        bytes[40] ^= 0x01;

        assertThatThrownBy(() -> events(bytes)).isInstanceOf(RuntimeException.class).hasMessageContaining("checksum");
    }

    @Test
    void decodesTheSpecificationsEmptyMessageAndRefusesItCorrupted() {
        byte[] empty = Base64.getDecoder().decode(Fixtures.text("bedrock/empty-message.base64").trim());
        software.amazon.awssdk.eventstream.MessageDecoder decoder = new software.amazon.awssdk.eventstream.MessageDecoder();

        decoder.feed(empty);

        assertThat(decoder.getDecodedMessages()).singleElement().satisfies(m -> {
            assertThat(m.getHeaders()).isEmpty();
            assertThat(m.getPayload()).isEmpty();
        });
        empty[15] ^= 0x01;
        assertThatThrownBy(() -> new software.amazon.awssdk.eventstream.MessageDecoder().feed(empty))
                .hasMessageContaining("checksum");
    }
}
