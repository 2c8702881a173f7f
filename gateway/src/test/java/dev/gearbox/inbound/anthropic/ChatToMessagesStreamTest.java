package dev.gearbox.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatToMessagesStreamTest {

    /** One rendered event: its name and data. */
    record Event(String name, JsonObject data) {
    }

    private final List<Event> events = new ArrayList<>();
    private final ChatToMessagesStream stream = new ChatToMessagesStream(this::record, "requested-model");

    private void record(Buffer frame) {
        String text = frame.toString();
        assertThat(text).startsWith("event: ").endsWith("\n\n");
        String name = text.substring(7, text.indexOf('\n'));
        events.add(new Event(name, new JsonObject(text.substring(text.indexOf("data: ") + 6).trim())));
    }

    private void feed(String fixture) {
        new SseParser(1 << 20, data -> {
            if (!data.toString().equals("[DONE]")) {
                stream.event(data);
            }
        }).feed(Buffer.buffer(Fixtures.text(fixture)));
    }

    private List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    @Test
    void rendersTextChunksAsAMessageEventStream() {
        feed("openai/chat-completion-stream.sse");
        stream.end(StreamEnd.DONE);

        assertThat(names().get(0)).isEqualTo("message_start");
        assertThat(names().subList(names().size() - 3, names().size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta"))
                .forEach(e -> text.append(e.data().getJsonObject("delta").getString("text")));
        assertThat(text.toString()).isEqualTo("The capital of France is Paris.");
        assertThat(events.get(events.size() - 2).data().getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    }

    @Test
    void rendersToolCallDeltasAsAToolUseBlockWithInputJsonDeltas() {
        feed("openai/tool-call-stream.sse");
        stream.end(StreamEnd.DONE);

        Event start = events.stream().filter(e -> e.name().equals("content_block_start")).findFirst().orElseThrow();
        assertThat(start.data().getJsonObject("content_block").getString("type")).isEqualTo("tool_use");
        assertThat(start.data().getJsonObject("content_block").getString("name")).isEqualTo("get_weather");
        StringBuilder json = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta"))
                .forEach(e -> json.append(e.data().getJsonObject("delta").getString("partial_json")));
        assertThat(new JsonObject(json.toString())).isEqualTo(new JsonObject().put("city", "Paris"));
        Event delta = events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow();
        assertThat(delta.data().getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
    }

    @Test
    void rendersReasoningContentAsAThinkingBlockBeforeTheText() {
        feed("deepseek/reasoner-stream.sse");
        stream.end(StreamEnd.DONE);

        List<String> blockTypes = events.stream().filter(e -> e.name().equals("content_block_start"))
                .map(e -> e.data().getJsonObject("content_block").getString("type")).toList();
        assertThat(blockTypes).containsExactly("thinking", "text");
        JsonObject usage = events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow()
                .data().getJsonObject("usage");
        assertThat(usage.getLong("output_tokens")).isPositive();
    }

    @Test
    void givesAThinkingBlockItsSignatureFromTheWholeBlock() {
        byte[] reasoning = "{\"id\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Hmm.\"}}]}".getBytes();
        byte[] block = ("{\"id\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"thinking_blocks\":[{\"type\":\"thinking\","
                + "\"thinking\":\"Hmm.\",\"signature\":\"sig-1\"}]}}]}").getBytes();
        stream.event(new SseEvent(reasoning, 0, reasoning.length));
        stream.event(new SseEvent(block, 0, block.length));
        stream.end(StreamEnd.DONE);

        assertThat(names()).containsExactly("message_start", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(3).data().getJsonObject("delta"))
                .isEqualTo(new JsonObject().put("type", "signature_delta").put("signature", "sig-1"));
    }

    @Test
    void endsACutStreamWithAnErrorEventAndNoMessageStop() {
        byte[] first = "{\"id\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}".getBytes();
        stream.event(new SseEvent(first, 0, first.length));
        stream.end(new StreamEnd.Failed(new ApiException(502, "server_error", "upstream_stream_cut", null, "cut")));

        assertThat(names()).doesNotContain("message_stop", "message_delta");
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat(stream.over()).isTrue();
    }

    @Test
    void endsWithAnErrorEventWhenUpstreamSentOne() {
        byte[] first = "{\"id\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}".getBytes();
        byte[] error = "{\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\"}}".getBytes();
        stream.event(new SseEvent(first, 0, first.length));
        stream.event(new SseEvent(error, 0, error.length));
        stream.end(new StreamEnd.Relayed());

        assertThat(names()).doesNotContain("message_stop");
        assertThat(names().get(names().size() - 1)).isEqualTo("error");
        assertThat(names().stream().filter("error"::equals)).hasSize(1);
    }
}
