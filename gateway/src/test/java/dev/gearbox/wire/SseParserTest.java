package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static final String STREAM = "data: {\"content\":\"Grüße 👋\"}\n\n"
            + ": keep-alive comment\n\n"
            + "event: message\r\ndata: {\"n\":2}\r\n\r\n"
            + "data:{\"n\":3}\r\rdata: line one\ndata: line two\n\n"
            + "data: [DONE]\n\n";

    private static final List<String> EVENTS = List.of("{\"content\":\"Grüße 👋\"}", "{\"n\":2}", "{\"n\":3}",
            "line one\nline two", "[DONE]");

    @Test
    void yieldsEachEventOnceItsBlankLineArrives() {
        assertThat(parse(List.of(STREAM.getBytes(StandardCharsets.UTF_8)))).isEqualTo(EVENTS);
    }

    @Test
    void reassemblesEventsSplitAtEveryPossibleByte() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] head = java.util.Arrays.copyOfRange(bytes, 0, cut);
            byte[] tail = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
            assertThat(parse(List.of(head, tail))).as("split at byte %d", cut).isEqualTo(EVENTS);
        }
    }

    @Test
    void reassemblesEventsDeliveredOneByteAtATime() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : bytes) {
            pieces.add(new byte[] {b});
        }
        assertThat(parse(pieces)).isEqualTo(EVENTS);
    }

    @Test
    void holdsAnUnfinishedEvent() {
        List<String> out = new ArrayList<>();
        SseParser parser = new SseParser(1024, b -> out.add(b.toString()));

        parser.feed(Buffer.buffer("data: {\"a\":1}\n"));

        assertThat(out).isEmpty();
        assertThat(parser.hasPartialEvent()).isTrue();
        parser.feed(Buffer.buffer("\n"));
        assertThat(out).containsExactly("{\"a\":1}");
        assertThat(parser.hasPartialEvent()).isFalse();
    }

    @Test
    void refusesAnEventLargerThanTheLimit() {
        SseParser parser = new SseParser(16, b -> { });

        assertThatThrownBy(() -> parser.feed(Buffer.buffer("data: " + "x".repeat(64))))
                .hasMessageContaining("larger than 16 bytes");
    }

    private static List<String> parse(List<byte[]> pieces) {
        List<String> out = new ArrayList<>();
        SseParser parser = new SseParser(1 << 20, b -> out.add(b.toString()));
        for (byte[] piece : pieces) {
            parser.feed(Buffer.buffer(piece));
        }
        return out;
    }
}
