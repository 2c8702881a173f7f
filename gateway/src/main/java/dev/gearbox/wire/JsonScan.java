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
    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;
    private static final byte OTHER = 3;

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
        Scanner s = new Scanner(b, end);
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
        } catch (Invalid e) {
            return null;
        }
    }

    /** Whether the name's bytes (between the quotes, escapes undecoded) spell {@code expected}. */
    static boolean nameEquals(byte[] b, int start, int end, String expected) {
        int n = end - start;
        boolean plain = true;
        if (n == expected.length()) {
            for (int k = 0; k < n; k++) {
                byte c = b[start + k];
                if (c != expected.charAt(k)) {
                    plain = false;
                    break;
                }
            }
            if (plain) {
                return true;
            }
        }
        // Escaped or non-ASCII names are rare in answers: decode them the slow way.
        for (int k = start; k < end; k++) {
            if (b[k] == '\\' || b[k] < 0) {
                return decode(b, start, end).equals(expected);
            }
        }
        return false;
    }

    private static String decode(byte[] b, int start, int end) {
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

    /** Thrown on the first byte that is not valid JSON; carries nothing, costs no stack trace. */
    private static final class Invalid extends RuntimeException {
        private static final Invalid INSTANCE = new Invalid();

        private Invalid() {
            super(null, null, false, false);
        }
    }

    private static Invalid invalid() {
        return Invalid.INSTANCE;
    }

    /** One scan's position-independent state: the bytes, and what the top level found. */
    private static final class Scanner {
        private final byte[] b;
        private final int end;
        int[] fields = new int[3 * 8];
        int fieldCount;
        long[] usage;
        int usageCount;
        private int nameStart;
        private int nameEnd;

        Scanner(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        int ws(int i) {
            while (i < end) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return i;
                }
                i++;
            }
            return i;
        }

        private byte at(int i) {
            if (i >= end) {
                throw invalid();
            }
            return b[i];
        }

        /** The members of the root object, from after its '{'; returns the index after its '}'. */
        int topLevel(int i) {
            i = ws(i);
            if (at(i) == '}') {
                return i + 1;
            }
            while (true) {
                i = name(i);
                int start = nameStart;
                int stop = nameEnd;
                i = ws(i);
                byte c = at(i);
                byte kind = c == '{' ? OBJECT : c == '[' ? ARRAY : OTHER;
                if (kind == OBJECT && nameEquals(b, start, stop, "usage")) {
                    // A later usage block replaces an earlier one, as Jackson's reading of it would.
                    usageCount = 0;
                    if (usage == null) {
                        usage = new long[5 * 8];
                    }
                    i = counts(i + 1, -1, -1, 1, 2);
                } else {
                    i = value(i, 1);
                }
                addField(start, stop, kind);
                i = ws(i);
                c = at(i);
                if (c == '}') {
                    return i + 1;
                }
                if (c != ',') {
                    throw invalid();
                }
                i = ws(i + 1);
            }
        }

        private void addField(int start, int stop, byte kind) {
            if (fieldCount * 3 == fields.length) {
                fields = java.util.Arrays.copyOf(fields, fields.length * 2);
            }
            fields[fieldCount * 3] = start;
            fields[fieldCount * 3 + 1] = stop;
            fields[fieldCount * 3 + 2] = kind;
            fieldCount++;
        }

        /**
         * The members of an object inside usage, from after its '{', noting its whole numbers; objects
         * {@code levels} deep are read the same way, deeper ones only checked.
         */
        private int counts(int i, int outerStart, int outerEnd, int levels, int depth) {
            if (depth > MAX_DEPTH) {
                throw invalid();
            }
            i = ws(i);
            if (at(i) == '}') {
                return i + 1;
            }
            while (true) {
                i = name(i);
                int start = nameStart;
                int stop = nameEnd;
                i = ws(i);
                byte c = at(i);
                if (c == '{' && levels > 0) {
                    i = counts(i + 1, start, stop, levels - 1, depth + 1);
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    int from = i;
                    i = number(i);
                    long whole = wholeNumber(from, i);
                    if (whole != NOT_WHOLE) {
                        addCount(outerStart < 0 ? start : outerStart, outerStart < 0 ? stop : outerEnd,
                                outerStart < 0 ? -1 : start, outerStart < 0 ? -1 : stop, whole);
                    }
                } else {
                    i = value(i, depth);
                }
                i = ws(i);
                c = at(i);
                if (c == '}') {
                    return i + 1;
                }
                if (c != ',') {
                    throw invalid();
                }
                i = ws(i + 1);
            }
        }

        /** Stored as outer name then inner name, so usage(path) reads a dotted path in order. */
        private void addCount(int firstStart, int firstEnd, int secondStart, int secondEnd, long value) {
            if (usageCount * 5 == usage.length) {
                usage = java.util.Arrays.copyOf(usage, usage.length * 2);
            }
            int at = usageCount * 5;
            if (secondStart < 0) {
                usage[at] = firstStart;
                usage[at + 1] = firstEnd;
                usage[at + 2] = -1;
                usage[at + 3] = -1;
            } else {
                usage[at] = secondStart;
                usage[at + 1] = secondEnd;
                usage[at + 2] = firstStart;
                usage[at + 3] = firstEnd;
            }
            usage[at + 4] = value;
            usageCount++;
        }

        private static final long NOT_WHOLE = Long.MIN_VALUE;

        /**
         * The value of a number without fraction or exponent; NOT_WHOLE for any other. A whole number too
         * large for a long makes the text invalid, as it would make Jackson's {@code getValueAsLong} throw.
         */
        private long wholeNumber(int from, int to) {
            boolean negative = b[from] == '-';
            int k = negative ? from + 1 : from;
            long value = 0;
            for (; k < to; k++) {
                byte c = b[k];
                if (c < '0' || c > '9') {
                    return NOT_WHOLE;
                }
                int digit = c - '0';
                // Accumulated negatively, so Long.MIN_VALUE itself fits.
                if (value < (Long.MIN_VALUE + digit) / 10) {
                    throw invalid();
                }
                value = value * 10 - digit;
            }
            if (!negative) {
                if (value == Long.MIN_VALUE) {
                    throw invalid();
                }
                value = -value;
            }
            return value == NOT_WHOLE ? NOT_WHOLE + 1 : value;
        }

        /** A quoted name and its colon; notes where the name's bytes are. Returns the index after the colon. */
        private int name(int i) {
            if (at(i) != '"') {
                throw invalid();
            }
            nameStart = i + 1;
            i = string(i + 1);
            nameEnd = i - 1;
            if (nameEnd - nameStart > MAX_NAME_LENGTH) {
                throw invalid();
            }
            i = ws(i);
            if (at(i) != ':') {
                throw invalid();
            }
            return ws(i + 1);
        }

        /** Any value at index i (whitespace skipped before); returns the index after it. */
        private int value(int i, int depth) {
            byte c = at(i);
            switch (c) {
                case '{':
                    return object(i + 1, depth + 1);
                case '[':
                    return array(i + 1, depth + 1);
                case '"':
                    return string(i + 1);
                case 't':
                    return literal(i, "true");
                case 'f':
                    return literal(i, "false");
                case 'n':
                    return literal(i, "null");
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number(i);
                    }
                    throw invalid();
            }
        }

        private int object(int i, int depth) {
            if (depth > MAX_DEPTH) {
                throw invalid();
            }
            i = ws(i);
            if (at(i) == '}') {
                return i + 1;
            }
            while (true) {
                i = name(i);
                i = value(i, depth);
                i = ws(i);
                byte c = at(i);
                if (c == '}') {
                    return i + 1;
                }
                if (c != ',') {
                    throw invalid();
                }
                i = ws(i + 1);
            }
        }

        private int array(int i, int depth) {
            if (depth > MAX_DEPTH) {
                throw invalid();
            }
            i = ws(i);
            if (at(i) == ']') {
                return i + 1;
            }
            while (true) {
                i = value(i, depth);
                i = ws(i);
                byte c = at(i);
                if (c == ']') {
                    return i + 1;
                }
                if (c != ',') {
                    throw invalid();
                }
                i = ws(i + 1);
            }
        }

        /** The rest of a string from after its opening quote; returns the index after the closing one. */
        private int string(int i) {
            while (true) {
                byte c = at(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\') {
                    byte e = at(i + 1);
                    switch (e) {
                        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                        case 'u' -> {
                            for (int k = i + 2; k < i + 6; k++) {
                                if (Character.digit(at(k), 16) < 0) {
                                    throw invalid();
                                }
                            }
                            i += 6;
                        }
                        default -> throw invalid();
                    }
                    continue;
                }
                // Bytes of 0x80 and above are parts of characters Utf8.valid has checked.
                if (c >= 0 && c < 0x20) {
                    throw invalid();
                }
                i++;
            }
        }

        private int literal(int i, String word) {
            for (int k = 0; k < word.length(); k++) {
                if (at(i + k) != word.charAt(k)) {
                    throw invalid();
                }
            }
            i += word.length();
            // "truex" is not true followed by garbage but one bad token, as for Jackson.
            if (i < end && isWordByte(b[i])) {
                throw invalid();
            }
            return i;
        }

        /** RFC 8259 numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
        private int number(int i) {
            int from = i;
            if (b[i] == '-') {
                i++;
            }
            byte c = at(i);
            if (c == '0') {
                i++;
            } else if (c >= '1' && c <= '9') {
                i = digits(i);
            } else {
                throw invalid();
            }
            int integerDigits = i - from;
            boolean fraction = false;
            if (i < end && b[i] == '.') {
                fraction = true;
                if (!isDigit(at(i + 1))) {
                    throw invalid();
                }
                i = digits(i + 1);
            }
            if (i < end && (b[i] == 'e' || b[i] == 'E')) {
                fraction = true;
                i++;
                if (at(i) == '+' || b[i] == '-') {
                    i++;
                }
                if (!isDigit(at(i))) {
                    throw invalid();
                }
                i = digits(i);
            }
            if ((fraction ? i - from : integerDigits) > MAX_NUMBER_LENGTH) {
                throw invalid();
            }
            // A number runs into no letter or digit: "01" and "1x" are errors, as for Jackson.
            if (i < end && (isWordByte(b[i]) || b[i] == '.')) {
                throw invalid();
            }
            return i;
        }

        private int digits(int i) {
            while (i < end && isDigit(b[i])) {
                i++;
            }
            return i;
        }

        private static boolean isDigit(byte c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isWordByte(byte c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c < 0;
        }
    }
}
