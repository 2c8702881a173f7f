package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental parser of a server-sent event stream that yields the {@code data} of each event.
 *
 * <p>Bytes arrive in arbitrary pieces: an event, a line, even a UTF-8 character may be split across
 * reads. The parser keeps the unfinished tail and emits an event only once its blank line has arrived.
 * Lines may end in LF, CRLF or CR. Comments and other fields ({@code event}, {@code id}, {@code retry})
 * are skipped. Each chunk is copied out of its buffer once and scanned as an array, which is several
 * times faster than reading a buffer byte by byte. Confined to one stream; not thread-safe.
 */
public final class SseParser {

    private final int maxEventBytes;
    private final Consumer<SseEvent> onData;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private byte[] data;
    private int dataOffset;
    private int dataLength = -1;
    private boolean skipLf;

    /**
     * @param maxEventBytes largest event accepted, so a broken upstream cannot exhaust memory
     * @param onData receives the data of each complete event, multi-line data joined with LF
     */
    public SseParser(int maxEventBytes, Consumer<SseEvent> onData) {
        this.maxEventBytes = maxEventBytes;
        this.onData = onData;
    }

    /** Feeds the next bytes of the stream. */
    public void feed(Buffer chunk) {
        byte[] buf;
        int length;
        if (pendingLength == 0) {
            buf = chunk.getBytes();
            length = buf.length;
        } else {
            length = pendingLength + chunk.length();
            buf = pending.length >= length ? pending : Arrays.copyOf(pending, Math.max(length, pending.length * 2));
            chunk.getBytes(buf, pendingLength);
            pending = new byte[0];
            pendingLength = 0;
        }
        int lineStart = 0;
        int i = 0;
        if (skipLf && length > 0) {
            skipLf = false;
            if (buf[0] == '\n') {
                lineStart = i = 1;
            }
        }
        for (; i < length; i++) {
            byte b = buf[i];
            if (b != '\n' && b != '\r') {
                continue;
            }
            line(buf, lineStart, i);
            if (b == '\r') {
                if (i + 1 < length) {
                    if (buf[i + 1] == '\n') {
                        i++;
                    }
                } else {
                    skipLf = true;
                }
            }
            lineStart = i + 1;
        }
        if (dataLength >= 0 && data == buf) {
            // A data line whose event has not ended yet: keep its bytes, not the whole chunk.
            data = Arrays.copyOfRange(buf, dataOffset, dataOffset + dataLength);
            dataOffset = 0;
        }
        if (lineStart < length) {
            int tail = length - lineStart;
            if (tail > maxEventBytes) {
                throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
            }
            pending = Arrays.copyOfRange(buf, lineStart, length);
            pendingLength = tail;
        }
    }

    private void line(byte[] buf, int start, int end) {
        if (start == end) {
            dispatch();
            return;
        }
        if (end - start < 5 || buf[start] != 'd' || buf[start + 1] != 'a' || buf[start + 2] != 't' || buf[start + 3] != 'a'
                || buf[start + 4] != ':') {
            return;
        }
        int valueStart = start + 5;
        if (valueStart < end && buf[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = end - valueStart;
        if (dataLength < 0) {
            data = buf;
            dataOffset = valueStart;
            dataLength = valueLength;
            return;
        }
        if (dataLength + 1 + valueLength > maxEventBytes) {
            throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
        }
        byte[] joined = new byte[dataLength + 1 + valueLength];
        System.arraycopy(data, dataOffset, joined, 0, dataLength);
        joined[dataLength] = '\n';
        System.arraycopy(buf, valueStart, joined, dataLength + 1, valueLength);
        data = joined;
        dataOffset = 0;
        dataLength = joined.length;
    }

    private void dispatch() {
        if (dataLength >= 0) {
            SseEvent event = new SseEvent(data, dataOffset, dataLength);
            data = null;
            dataLength = -1;
            onData.accept(event);
        }
    }

    /** Whether bytes of an unfinished event are still held. */
    public boolean hasPartialEvent() {
        return pendingLength > 0 || dataLength >= 0;
    }
}
