package dev.gearbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class JsonPeekTest {

    private static final byte[] USAGE = JsonPeek.field("usage");
    private static final byte[] FINISH = JsonPeek.field("finish_reason");

    @Test
    void findsAFieldWhoseValueIsAnObject() {
        assertThat(JsonPeek.hasField(Buffer.buffer("{\"choices\":[],\"usage\" : {\"total_tokens\":3}}"), USAGE, '{')).isTrue();
        assertThat(JsonPeek.hasField(Buffer.buffer("{\"choices\":[],\"usage\":null}"), USAGE, '{')).isFalse();
    }

    @Test
    void isNotFooledByTheNameInsideAString() {
        assertThat(JsonPeek.hasField(Buffer.buffer("{\"content\":\"say \\\"usage\\\": {x}\"}"), USAGE, '{')).isFalse();
    }

    @Test
    void tellsAFinishReasonFromNull() {
        assertThat(JsonPeek.hasField(Buffer.buffer("{\"finish_reason\":null}"), FINISH, '"')).isFalse();
        assertThat(JsonPeek.hasField(Buffer.buffer("{\"finish_reason\":\"stop\"}"), FINISH, '"')).isTrue();
    }

    @Test
    void recognisesDone() {
        assertThat(JsonPeek.isDone(Buffer.buffer("[DONE]"))).isTrue();
        assertThat(JsonPeek.isDone(Buffer.buffer(" [DONE] "))).isTrue();
        assertThat(JsonPeek.isDone(Buffer.buffer("{\"DONE\":1}"))).isFalse();
    }
}
