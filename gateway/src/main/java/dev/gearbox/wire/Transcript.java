package dev.gearbox.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The text a stream generated, kept as the raw bytes of its JSON strings (escapes undecoded) for counting
 * its tokens when upstream reports no usage or the stream is cut. It holds only the text, a few bytes per
 * chunk, where keeping the events themselves held every chunk's whole array for the life of the stream.
 * Confined to one stream.
 */
public final class Transcript {

    private byte[] bytes = new byte[64];
    private int length;

    /** How many bytes are kept. */
    public int length() {
        return length;
    }

    void append(byte[] from, int start, int end) {
        int n = end - start;
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
        }
        System.arraycopy(from, start, bytes, length, n);
        length += n;
    }

    /** Drops what was kept from {@code start} to {@code end}, as when a later key replaces an earlier one. */
    void cut(int start, int end) {
        System.arraycopy(bytes, end, bytes, start, length - end);
        length -= end - start;
    }

    /** Back to {@code mark} bytes, dropping what came after. */
    void rewind(int mark) {
        length = Math.min(length, mark);
    }

    /** The text, decoded. */
    public String text() {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\\') {
                return JsonScan.decode(bytes, 0, length);
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
