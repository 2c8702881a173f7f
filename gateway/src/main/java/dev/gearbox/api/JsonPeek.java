package dev.gearbox.api;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers narrow questions about a JSON text without parsing it, for the stream relay's hot path.
 *
 * <p>A quoted field name cannot occur unescaped inside a JSON string, so a match on {@code "name"}
 * followed by a colon is a real field of some object in the text.
 */
final class JsonPeek {

    private JsonPeek() {
    }

    /** The bytes of a quoted field name, to search for. */
    static byte[] field(String name) {
        return ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether some object in the text has this field with a value starting with {@code first}. */
    static boolean hasField(Buffer json, byte[] quotedName, char first) {
        int length = json.length();
        int from = 0;
        while (true) {
            int at = indexOf(json, quotedName, from);
            if (at < 0) {
                return false;
            }
            int i = skipSpace(json, at + quotedName.length, length);
            if (i < length && json.getByte(i) == ':') {
                i = skipSpace(json, i + 1, length);
                if (i < length && json.getByte(i) == first) {
                    return true;
                }
            }
            from = at + 1;
        }
    }

    /** Whether the text is exactly {@code [DONE]}, give or take surrounding space. */
    static boolean isDone(Buffer data) {
        int length = data.length();
        int start = skipSpace(data, 0, length);
        int end = length;
        while (end > start && isSpace(data.getByte(end - 1))) {
            end--;
        }
        return end - start == 6 && data.getByte(start) == '[' && data.getByte(start + 1) == 'D'
                && data.getByte(start + 2) == 'O' && data.getByte(start + 3) == 'N' && data.getByte(start + 4) == 'E'
                && data.getByte(start + 5) == ']';
    }

    static int indexOf(Buffer haystack, byte[] needle, int from) {
        int last = haystack.length() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack.getByte(i) != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int skipSpace(Buffer json, int i, int length) {
        while (i < length && isSpace(json.getByte(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
