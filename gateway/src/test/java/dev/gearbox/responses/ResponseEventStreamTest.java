package dev.gearbox.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseEventStreamTest {

    private static final JsonObject REQUEST = new JsonObject("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}");

    @Test
    void aTextStreamHasTheEventsOfTheSpecsStreamingExample() {
        List<JsonObject> events = new ArrayList<>();
        ResponseEventStream stream = ResponseEventStream.of("resp_abc", REQUEST, events::add);

        chunks("openai/chat-completion-stream.sse").forEach(stream::chunk);
        stream.done();

        List<String> expected = new ArrayList<>();
        for (String frame : Fixtures.text("responses/response-stream.sse").split("\n\n")) {
            expected.add(frame.strip().split("\n")[0].substring("event: ".length()));
        }
        List<String> types = events.stream().map(e -> e.getString("type")).toList();
        // The example elides its repeated deltas; the order of the other events is the same.
        assertThat(types.stream().distinct().toList()).isEqualTo(expected.stream().distinct().toList());
        JsonObject completed = events.get(events.size() - 1).getJsonObject("response");
        String text = events.stream().filter(e -> e.getString("type").equals("response.output_text.delta"))
                .map(e -> e.getString("delta")).reduce("", String::concat);
        assertThat(completed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text")).isEqualTo(text).isNotEmpty();
        assertThat(completed.getString("status")).isEqualTo("completed");
        assertThat(completed.getJsonObject("usage").getLong("input_tokens")).isPositive();
        String[] frames = Fixtures.text("responses/response-stream.sse").strip().split("\n\n");
        JsonObject specCompleted = new JsonObject(frames[frames.length - 1].split("\n")[1].substring("data: ".length()));
        assertThat(completed.fieldNames()).containsAll(specCompleted.getJsonObject("response").fieldNames());
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getInteger("sequence_number")).isEqualTo(i);
        }
    }

    @Test
    void aToolCallStreamBecomesAFunctionCallItemWithArgumentDeltas() {
        List<JsonObject> events = new ArrayList<>();
        ResponseEventStream stream = ResponseEventStream.of("resp_abc", REQUEST, events::add);

        chunks("openai/tool-call-stream.sse").forEach(stream::chunk);
        stream.done();

        JsonObject added = events.stream().filter(e -> e.getString("type").equals("response.output_item.added")).findFirst().orElseThrow();
        JsonObject spec = Fixtures.json("responses/event-function_call_arguments-done.json");
        JsonObject done = events.stream().filter(e -> e.getString("type").equals("response.function_call_arguments.done")).findFirst().orElseThrow();
        assertThat(added.getJsonObject("item").getString("type")).isEqualTo("function_call");
        assertThat(added.getJsonObject("item").getString("call_id")).isEqualTo("call_Dn2RJJSxzDm49vlVTehseJ0k");
        assertThat(done.fieldNames()).containsAll(spec.fieldNames());
        String deltas = events.stream().filter(e -> e.getString("type").equals("response.function_call_arguments.delta"))
                .map(e -> e.getString("delta")).reduce("", String::concat);
        assertThat(done.getString("arguments")).isEqualTo(deltas);
        assertThat(new JsonObject(deltas).getString("city")).isEqualTo("Paris");
        JsonObject item = stream.response().getJsonArray("output").getJsonObject(0);
        assertThat(item.getString("status")).isEqualTo("completed");
        assertThat(item.getString("arguments")).isEqualTo(deltas);
    }

    @Test
    void aCutStreamFailsAndNeverCompletes() {
        List<JsonObject> events = new ArrayList<>();
        ResponseEventStream stream = ResponseEventStream.of("resp_abc", REQUEST, events::add);
        List<JsonObject> chunks = chunks("openai/chat-completion-stream.sse");

        chunks.subList(0, 3).forEach(stream::chunk);
        stream.failed("upstream_reset", "The upstream connection was reset.");
        stream.done();

        JsonObject last = events.get(events.size() - 1);
        assertThat(last.getString("type")).isEqualTo("response.failed");
        assertThat(last.getJsonObject("response").getString("status")).isEqualTo("failed");
        assertThat(last.getJsonObject("response").getJsonObject("error").getString("code")).isEqualTo("upstream_reset");
        assertThat(last.getJsonObject("response").fieldNames())
                .containsAll(Fixtures.json("responses/event-failed.json").getJsonObject("response").fieldNames().stream()
                        .filter(f -> !f.equals("completed_at") && !f.equals("reasoning_effort")).toList());
        assertThat(events).noneMatch(e -> e.getString("type").equals("response.completed"));
    }

    @Test
    void aWholeCompletionIsTheResponseObjectOfTheSpecsExample() {
        JsonObject response = ResponseObject.of("resp_abc", REQUEST, Fixtures.json("openai/chat-completion.json"));
        JsonObject spec = Fixtures.json("responses/response-text.json");

        assertThat(response.fieldNames()).containsAll(spec.fieldNames().stream().filter(f -> !f.equals("completed_at")).toList());
        JsonObject message = response.getJsonArray("output").getJsonObject(0);
        assertThat(message.fieldNames()).containsAll(spec.getJsonArray("output").getJsonObject(0).fieldNames());
        assertThat(message.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("output_text");
        assertThat(response.getJsonObject("usage").fieldNames()).containsAll(spec.getJsonObject("usage").fieldNames());
        assertThat(response.getString("status")).isEqualTo("completed");

        JsonObject call = ResponseObject.of("resp_abc", REQUEST, Fixtures.json("openai/tool-call.json"))
                .getJsonArray("output").getJsonObject(0);
        assertThat(call.fieldNames()).containsAll(Fixtures.json("responses/response-function-call.json")
                .getJsonArray("output").getJsonObject(0).fieldNames());
    }

    static List<JsonObject> chunks(String fixture) {
        return Arrays.stream(Fixtures.text(fixture).split("\n\n")).map(String::strip)
                .filter(f -> f.startsWith("data: {")).map(f -> new JsonObject(f.substring("data: ".length()))).toList();
    }
}
