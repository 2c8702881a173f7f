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
        int start = 0;
        int end;
        if (pendingLength == 0) {
            // The chunk's own bytes, not a copy: events are views of them, and Vert.x never reuses them.
            Bytes bytes = Bytes.of(chunk);
            buf = bytes.array();
            start = bytes.offset();
            end = start + bytes.length();
        } else {
            end = pendingLength + chunk.length();
            buf = pending.length >= end ? pending : Arrays.copyOf(pending, Math.max(end, pending.length * 2));
            chunk.getBytes(buf, pendingLength);
            pending = new byte[0];
            pendingLength = 0;
        }
        int lineStart = start;
        int i = start;
        if (skipLf && end > start) {
            skipLf = false;
            if (buf[start] == '\n') {
                lineStart = i = start + 1;
            }
        }
        for (; i < end; i++) {
            byte b = buf[i];
            if (b != '\n' && b != '\r') {
                continue;
            }
            line(buf, lineStart, i);
            if (b == '\r') {
                if (i + 1 < end) {
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
        if (lineStart < end) {
            int tail = end - lineStart;
            if (tail > maxEventBytes) {
                throw new IllegalStateException("server-sent event larger than " + maxEventBytes + " bytes");
            }
            pending = Arrays.copyOfRange(buf, lineStart, end);
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
