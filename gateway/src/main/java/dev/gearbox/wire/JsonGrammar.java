package dev.gearbox.wire;

/**
 * RFC 8259 as Jackson's strict defaults read it (no comments, no leading zeros, no trailing commas, no
 * unescaped control characters), checked over bytes without building anything; {@link JsonScanner} adds
 * what the gateway notes on the way. Apart so the grammar reads as one thing.
 */
abstract class JsonGrammar {

    static final int MAX_DEPTH = JsonScan.MAX_DEPTH;
    static final int MAX_NUMBER_LENGTH = JsonScan.MAX_NUMBER_LENGTH;
    static final int MAX_NAME_LENGTH = JsonScan.MAX_NAME_LENGTH;

    byte[] b;
    int end;
    /** Where the last name read lies, between its quotes. */
    int nameStart;
    int nameEnd;

    JsonGrammar(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    /** Points a reused scanner at other bytes. */
    final void reset(byte[] bytes, int stop) {
        this.b = bytes;
        this.end = stop;
    }

    final int ws(int i) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    /**
     * After a member or an element, from {@code i}: the start of the next one, past the comma and whitespace;
     * or, where {@code close} ends the object or array instead, the complement ({@code ~k}, negative) of the
     * closing bracket's index {@code k}. Anything else there is invalid.
     */
    final int next(int i, char close) {
        i = ws(i);
        byte c = at(i);
        if (c == close) {
            return ~i;
        }
        if (c != ',') {
            throw invalid();
        }
        return ws(i + 1);
    }

    final byte at(int i) {
        if (i >= end) {
            throw invalid();
        }
        return b[i];
    }

    /** A quoted name and its colon; notes where the name's bytes are. Returns the index after the colon. */
    final int name(int i) {
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
    final int value(int i, int depth) {
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

    final int object(int i, int depth) {
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
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }

    final int array(int i, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid();
        }
        i = ws(i);
        if (at(i) == ']') {
            return i + 1;
        }
        while (true) {
            i = value(i, depth);
            i = next(i, ']');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }

    /** The rest of a string from after its opening quote; returns the index after the closing one. */
    final int string(int i) {
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
    final int number(int i) {
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
        noteNumber(from, i, fraction);
        // A number runs into no letter or digit: "01" and "1x" are errors, as for Jackson.
        if (i < end && (isWordByte(b[i]) || b[i] == '.')) {
            throw invalid();
        }
        return i;
    }

    /** A number from {@code from} to {@code to} was read; {@code fraction} when it has a fraction or an exponent. */
    void noteNumber(int from, int to, boolean fraction) {
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

    /** Thrown on the first byte that is not valid JSON; carries nothing, costs no stack trace. */
    static final class Invalid extends RuntimeException {
        private static final Invalid INSTANCE = new Invalid();

        private Invalid() {
            super(null, null, false, false);
        }
    }

    static Invalid invalid() {
        return Invalid.INSTANCE;
    }
}
