package dev.gearbox.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.charset.StandardCharsets;

/**
 * Checks that bytes are exactly one valid JSON object in strict UTF-8, and notes the kinds of its
 * top-level values, without building anything: how an answer from upstream is told from garbage, an
 * error in a 200, or a body cut short. Strings may be as long as any body the gateway accepts.
 *
 * <p>A scan of the bytes rather than a Jackson parser: it runs on every event of every stream, and a
 * parser per event (its context, buffers and field-name strings) cost more than the check itself. It
 * accepts what Jackson's strict defaults accept (RFC 8259: no comments, no leading zeros, no trailing
 * commas, no unescaped control characters, a leading byte-order mark skipped), which a differential test
 * checks against Jackson, with the same limits: nesting depth 500, numbers of 10,000 digits.
 */
public final class JsonScan {

    static final int MAX_DEPTH = 500;
    static final int MAX_NUMBER_LENGTH = 10_000;
    /** Jackson's default limit on a field name, in bytes here. */
    static final int MAX_NAME_LENGTH = 50_000;

    /** Upstream answers may be long; depth stays bounded so a hostile one cannot exhaust the stack. */
    static final JsonFactory ANSWERS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNestingDepth(MAX_DEPTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** What a value starts with, as the top level notes it. */
    static final byte OBJECT = 1;
    static final byte ARRAY = 2;
    static final byte OTHER = 3;

    /** The top-level fields of a valid object, by the kind of their value, and the counts of its usage block. */
    public static final class TopLevel {
        private final byte[] b;
        /** Per field: name start, name end (exclusive; escapes undecoded), kind. */
        private final int[] fields;
        private final int fieldCount;
        /** Per count: name start and end, the enclosing object's name start and end (or -1), then the value. */
        private final long[] usage;
        private final int usageCount;

        private TopLevel(byte[] b, int[] fields, int fieldCount, long[] usage, int usageCount) {
            this.b = b;
            this.fields = fields;
            this.fieldCount = fieldCount;
            this.usage = usage;
            this.usageCount = usageCount;
        }

        /**
         * A whole number in the top-level {@code usage} object, read on the same pass: {@code prompt_tokens},
         * or one level down as {@code prompt_tokens_details.cached_tokens}; -1 when it is not there.
         */
        public long usage(String path) {
            int dot = path.indexOf('.');
            String outer = dot < 0 ? null : path.substring(0, dot);
            String name = dot < 0 ? path : path.substring(dot + 1);
            // The last of duplicate names wins, as a map filled in order would have it.
            for (int i = usageCount - 1; i >= 0; i--) {
                int at = i * 5;
                boolean outerMatches = outer == null ? usage[at + 2] < 0
                        : usage[at + 2] >= 0 && nameEquals(b, (int) usage[at + 2], (int) usage[at + 3], outer);
                if (outerMatches && nameEquals(b, (int) usage[at], (int) usage[at + 1], name)) {
                    return usage[at + 4];
                }
            }
            return -1;
        }

        public boolean has(String name) {
            return kind(name) != 0;
        }

        /** Whether the field is there and its value is an array. */
        public boolean hasArray(String name) {
            return kind(name) == ARRAY;
        }

        /** Whether the field is there and its value is an object. */
        public boolean hasObject(String name) {
            return kind(name) == OBJECT;
        }

        private int kind(String name) {
            for (int i = fieldCount - 1; i >= 0; i--) {
                if (nameEquals(b, fields[i * 3], fields[i * 3 + 1], name)) {
                    return fields[i * 3 + 2];
                }
            }
            return 0;
        }
    }

    private JsonScan() {
    }

    public static TopLevel object(byte[] b) {
        return object(b, 0, b.length);
    }

    /** The top level of one valid JSON object in the given bytes; null when they are anything else. */
    public static TopLevel object(byte[] b, int offset, int length) {
        if (!Utf8.valid(b, offset, length)) {
            return null;
        }
        int end = offset + length;
        int i = offset;
        if (end - i >= 3 && (b[i] & 0xff) == 0xef && (b[i + 1] & 0xff) == 0xbb && (b[i + 2] & 0xff) == 0xbf) {
            i += 3;
        }
        JsonScanner s = new JsonScanner(b, end);
        try {
            i = s.ws(i);
            if (i >= end || b[i] != '{') {
                return null;
            }
            i = s.topLevel(i + 1);
            if (s.ws(i) != end) {
                return null;
            }
            return new TopLevel(b, s.fields, s.fieldCount, s.usage, s.usageCount);
        } catch (JsonGrammar.Invalid e) {
            return null;
        }
    }

    /** Whether the name's bytes (between the quotes, escapes undecoded) spell {@code expected}. */
    static boolean nameEquals(byte[] b, int start, int end, String expected) {
        int n = end - start;
        int length = expected.length();
        // Raw bytes are never fewer than the UTF-16 chars they decode to, and as many only when every one is a
        // plain ASCII byte: so a name of the expected length is compared byte for byte, a shorter one never is.
        if (n == length) {
            for (int k = 0; k < n; k++) {
                if (b[start + k] != expected.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
        if (n < length) {
            return false;
        }
        // Longer bytes spell the name only through escapes or multi-byte characters, rare in names: decode.
        for (int k = start; k < end; k++) {
            if (b[k] == '\\' || b[k] < 0) {
                return decode(b, start, end).equals(expected);
            }
        }
        return false;
    }

    static String decode(byte[] b, int start, int end) {
        String raw = new String(b, start, end - start, StandardCharsets.UTF_8);
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = raw.charAt(++k);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(raw, k + 1, k + 5, 16));
                    k += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
