package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The data of one server-sent event, as a view on bytes the parser owns; valid until the next event.
 *
 * @param bytes the array holding the data
 * @param offset where the data starts
 * @param length how many bytes it has
 */
public record SseEvent(byte[] bytes, int offset, int length) {

    /** A copy of the data as a buffer, to keep beyond the next event. */
    public Buffer toBuffer() {
        return Buffer.buffer(length).appendBytes(bytes, offset, length);
    }

    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
