package dev.gearbox.api;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Incremental parser of a server-sent event stream that yields the {@code data} of each event.
 *
 * <p>Bytes arrive in arbitrary pieces: an event, a line, even a UTF-8 character may be split across
 * reads. The parser keeps the unfinished tail and emits an event only once its blank line has arrived.
 * Lines may end in LF, CRLF or CR. Comments and other fields ({@code event}, {@code id}, {@code retry})
 * are skipped. Confined to one stream; not thread-safe.
 */
public final class SseParser {

    private final int maxEventBytes;
    private final Consumer<Buffer> onData;
    private Buffer pending;
    private Buffer data;
    private boolean skipLf;

    /**
     * @param maxEventBytes largest event accepted, so a broken upstream cannot exhaust memory
     * @param onData receives the data of each complete event, multi-line data joined with LF
     */
    public SseParser(int maxEventBytes, Consumer<Buffer> onData) {
        this.maxEventBytes = maxEventBytes;
        this.onData = onData;
    }

    /** Feeds the next bytes of the stream. */
    public void feed(Buffer chunk) {
        Buffer buf;
        if (pending == null) {
            buf = chunk;
        } else {
            buf = pending.appendBuffer(chunk);
            pending = null;
        }
        int length = buf.length();
        int lineStart = 0;
        int i = 0;
        if (skipLf && length > 0) {
            skipLf = false;
            if (buf.getByte(0) == '\n') {
                lineStart = i = 1;
            }
        }
        for (; i < length; i++) {
            byte b = buf.getByte(i);
            if (b != '\n' && b != '\r') {
                continue;
            }
            line(buf, lineStart, i);
            if (b == '\r') {
                if (i + 1 < length) {
                    if (buf.getByte(i + 1) == '\n') {
                        i++;
                    }
                } else {
                    skipLf = true;
                }
            }
            lineStart = i + 1;
        }
        if (lineStart < length) {
            if (length - lineStart > maxEventBytes) {
                throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
            }
            pending = buf.getBuffer(lineStart, length);
        }
    }

    private void line(Buffer buf, int start, int end) {
        if (start == end) {
            dispatch();
            return;
        }
        if (end - start < 5 || buf.getByte(start) != 'd' || buf.getByte(start + 1) != 'a' || buf.getByte(start + 2) != 't'
                || buf.getByte(start + 3) != 'a' || buf.getByte(start + 4) != ':') {
            return;
        }
        int valueStart = start + 5;
        if (valueStart < end && buf.getByte(valueStart) == ' ') {
            valueStart++;
        }
        Buffer value = buf.slice(valueStart, end);
        if (data == null) {
            data = value;
        } else {
            if (data.length() + value.length() > maxEventBytes) {
                throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
            }
            data = data.copy().appendByte((byte) '\n').appendBuffer(value);
        }
    }

    private void dispatch() {
        if (data != null) {
            Buffer event = data;
            data = null;
            onData.accept(event);
        }
    }

    /** Whether bytes of an unfinished event are still held. */
    public boolean hasPartialEvent() {
        return pending != null || data != null;
    }
}
