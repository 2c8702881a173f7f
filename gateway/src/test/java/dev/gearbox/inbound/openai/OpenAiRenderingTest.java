package dev.gearbox.inbound.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events go to the client as the bytes they came in: only those whose bytes are the frame written for them. */
class OpenAiRenderingTest {

    @Test
    void anEventFramedAsTheGatewayFramesItIsSentInPlaceAndTheBytesAreItsFrame() {
        List<SseEvent> events = parse("data: {\"a\":1}\n\ndata:  {\"b\":2}\n\n");
        // Joined across reads in the parser's own copy, which it never writes again.
        events.addAll(parse("data: {\"a\"", ":1}\n\n"));

        assertThat(events).allSatisfy(e -> {
            assertThat(OpenAiRendering.framedInPlace(e)).isTrue();
            Buffer inPlace = Buffer.buffer().appendBytes(e.bytes(), e.offset() - 6, e.length() + 8);
            assertThat(inPlace).isEqualTo(OpenAiRendering.frame(e));
        });
    }

    @Test
    void anyOtherFramingIsCopiedIntoTheGatewaysFrame() {
        assertThat(parse("data:{\"a\":1}\n\n", "event: x\ndata: {\"a\":1}\nid: 4\n\n", "data: {\"a\":1}\r\n\r\n",
                "data: {\"a\":\ndata: 1}\n\n")).noneMatch(OpenAiRendering::framedInPlace);
        // The blank line in the next read: the event's bytes are a copy, with nothing around them.
        assertThat(parse("data: {\"a\":1}\n", "\n")).noneMatch(OpenAiRendering::framedInPlace);
    }

    private static List<SseEvent> parse(String... reads) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(1 << 20, events::add);
        for (String read : reads) {
            parser.feed(Buffer.buffer(read));
        }
        return events;
    }
}
