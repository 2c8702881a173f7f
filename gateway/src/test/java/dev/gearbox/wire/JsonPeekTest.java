package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonPeekTest {

    private static final byte[] USAGE = JsonPeek.field("usage");

    /** An event in the middle of a larger array, as the parser hands them out. */
    private static SseEvent event(String text) {
        byte[] inner = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] padded = new byte[inner.length + 8];
        java.util.Arrays.fill(padded, (byte) '"');
        System.arraycopy(inner, 0, padded, 4, inner.length);
        return new SseEvent(padded, 4, inner.length);
    }
    private static final byte[] FINISH = JsonPeek.field("finish_reason");

    @Test
    void findsAFieldWhoseValueIsAnObject() {
        assertThat(JsonPeek.hasField(event("{\"choices\":[],\"usage\" : {\"total_tokens\":3}}"), USAGE, '{')).isTrue();
        assertThat(JsonPeek.hasField(event("{\"choices\":[],\"usage\":null}"), USAGE, '{')).isFalse();
    }

    @Test
    void isNotFooledByTheNameInsideAString() {
        assertThat(JsonPeek.hasField(event("{\"content\":\"say \\\"usage\\\": {x}\"}"), USAGE, '{')).isFalse();
    }

    @Test
    void tellsAFinishReasonFromNull() {
        assertThat(JsonPeek.hasField(event("{\"finish_reason\":null}"), FINISH, '"')).isFalse();
        assertThat(JsonPeek.hasField(event("{\"finish_reason\":\"stop\"}"), FINISH, '"')).isTrue();
    }

    @Test
    void recognisesDone() {
        assertThat(JsonPeek.isDone(event("[DONE]"))).isTrue();
        assertThat(JsonPeek.isDone(event(" [DONE] "))).isTrue();
        assertThat(JsonPeek.isDone(event("{\"DONE\":1}"))).isFalse();
    }
}
