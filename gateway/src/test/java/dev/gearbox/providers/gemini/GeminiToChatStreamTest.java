package dev.gearbox.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cost.Usage;
import dev.gearbox.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiToChatStreamTest {

    /** The canonical events of a recorded stream, fed in pieces of 29 bytes, as a network may cut it. */
    private static List<String> events(String fixture) {
        byte[] bytes = Buffer.buffer(Fixtures.text("gemini/" + fixture)).getBytes();
        GeminiToChatStream stream = new GeminiToChatStream(1_700_000_000);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 29) {
            stream.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(29, bytes.length - i)), e -> events.add(e.toString()));
        }
        return events;
    }

    private static JsonObject choice(String event) {
        return new JsonObject(event).getJsonArray("choices").getJsonObject(0);
    }

    @Test
    void textChunksAssembleToTheWholeAnswerEndingInUsageAndDone() {
        List<String> events = events("text-stream.sse");

        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            text.append(choice(event).getJsonObject("delta").getString("content", ""));
            finish = choice(event).getString("finish_reason", finish);
        }
        assertThat(text.toString()).isEqualTo("AI learns patterns from data to make predictions.");
        assertThat(finish).isEqualTo("stop");
        JsonObject usage = new JsonObject(events.get(events.size() - 2));
        assertThat(usage.getJsonArray("choices")).isEmpty();
        assertThat(Usage.fromJson(usage.getJsonObject("usage"))).isEqualTo(new Usage(8, 0, 10, 0, false));
    }

    @Test
    void aFunctionCallArrivesWholeWithItsArgumentsAndSignature() {
        List<String> events = events("tool-call-stream.sse");

        JsonArray calls = null;
        String finish = null;
        for (String event : events.subList(0, events.size() - 2)) {
            if (choice(event).getJsonObject("delta").getValue("tool_calls") instanceof JsonArray c) {
                calls = c;
            }
            finish = choice(event).getString("finish_reason", finish);
        }
        assertThat(calls).hasSize(1);
        JsonObject call = calls.getJsonObject(0);
        assertThat(call.getInteger("index")).isZero();
        assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
                .isEqualTo(new JsonObject("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"));
        assertThat(call.getJsonObject("extra_content").getJsonObject("google").getString("thought_signature")).startsWith("CiQB");
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(Usage.fromJson(new JsonObject(events.get(events.size() - 2)).getJsonObject("usage")).reasoningTokens())
                .isEqualTo(78);
    }

    @Test
    void anErrorMidStreamIsPassedOnInOpenAisShapeAndNoDoneFollows() {
        List<String> events = events("error-mid-stream.sse");

        assertThat(events).doesNotContain("[DONE]");
        JsonObject last = new JsonObject(events.get(events.size() - 1));
        assertThat(last.getJsonObject("error").getString("message")).isEqualTo("The model is overloaded. Please try again later.");
        assertThat(choice(events.get(1)).getJsonObject("delta").getString("content")).isEqualTo("AI learns patterns");
    }
}
