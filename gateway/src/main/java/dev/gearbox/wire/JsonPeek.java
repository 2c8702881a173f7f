package dev.gearbox.wire;

import java.nio.charset.StandardCharsets;

/**
 * Answers narrow questions about a JSON text without parsing it, for the stream relay's hot path.
 *
 * <p>A quoted field name cannot occur unescaped inside a JSON string, so a match on {@code "name"}
 * followed by a colon is a real field of some object in the text.
 */
public final class JsonPeek {

    private JsonPeek() {
    }

    /** The bytes of a quoted field name, to search for. */
    public static byte[] field(String name) {
        return ('"' + name + '"').getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether some object in the event has this field with a value starting with {@code first}. */
    public static boolean hasField(SseEvent json, byte[] quotedName, char first) {
        byte[] b = json.bytes();
        int end = json.offset() + json.length();
        int from = json.offset();
        while (true) {
            int at = indexOf(b, from, end, quotedName);
            if (at < 0) {
                return false;
            }
            int i = skipSpace(b, at + quotedName.length, end);
            if (i < end && b[i] == ':') {
                i = skipSpace(b, i + 1, end);
                if (i < end && b[i] == first) {
                    return true;
                }
            }
            from = at + 1;
        }
    }

    /** Whether the event is exactly {@code [DONE]}, give or take surrounding space. */
    public static boolean isDone(SseEvent data) {
        byte[] b = data.bytes();
        int start = skipSpace(b, data.offset(), data.offset() + data.length());
        int end = data.offset() + data.length();
        while (end > start && isSpace(b[end - 1])) {
            end--;
        }
        return end - start == 6 && b[start] == '[' && b[start + 1] == 'D' && b[start + 2] == 'O' && b[start + 3] == 'N'
                && b[start + 4] == 'E' && b[start + 5] == ']';
    }

    /**
     * Whether the bytes are one well-formed JSON object as far as structure goes: braces and brackets
     * balance outside strings, and nothing follows the closing brace. Catches truncated and garbled
     * bodies without building anything.
     */
    public static boolean isObject(byte[] b) {
        int i = skipSpace(b, 0, b.length);
        if (i >= b.length || b[i] != '{') {
            return false;
        }
        int end = closing(b, i);
        return end > 0 && skipSpace(b, end, b.length) == b.length;
    }

    /** The bytes of the object value of the first field with this name, or null. */
    public static byte[] objectField(byte[] b, byte[] quotedName) {
        int from = 0;
        while (true) {
            int at = indexOf(b, from, b.length, quotedName);
            if (at < 0) {
                return null;
            }
            int i = skipSpace(b, at + quotedName.length, b.length);
            if (i < b.length && b[i] == ':') {
                i = skipSpace(b, i + 1, b.length);
                if (i < b.length && b[i] == '{') {
                    int end = closing(b, i);
                    return end < 0 ? null : java.util.Arrays.copyOfRange(b, i, end);
                }
            }
            from = at + 1;
        }
    }

    /** The index after the brace or bracket that closes the one at {@code open}, or -1. */
    private static int closing(byte[] b, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < b.length; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
                if (depth < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, int from, int end, byte[] needle) {
        int last = end - needle.length;
        byte first = needle[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int skipSpace(byte[] json, int i, int end) {
        while (i < end && isSpace(json[i])) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
