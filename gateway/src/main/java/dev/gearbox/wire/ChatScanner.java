package dev.gearbox.wire;

/**
 * One pass over a chat request's bytes: checks them as JSON and notes where each top-level value and each
 * message's role and content lie, for {@link ScannedChat}. What Jackson's limits for requests might judge
 * differently (an exponent, which may overflow a double; a number of hundreds of digits; a byte-order mark)
 * marks the body {@link #unusual}, and the tree parser, {@link JsonBody}, decides it instead.
 */
final class ChatScanner extends JsonGrammar {

    static final int FIELD_INTS = 5;
    static final int MESSAGE_INTS = 7;
    /** Value kinds as the scan notes them. */
    static final int STRING = 1;
    static final int NUMBER = 2;
    static final int TRUE = 3;
    static final int FALSE = 4;
    static final int NULL = 5;
    static final int OBJECT = 6;
    static final int ARRAY = 7;
    /** A number's text beyond this many characters is left to Jackson, whose limit is 1,000. */
    private static final int PLAIN_NUMBER_LENGTH = 300;

    /** Per field: name start, name end, value start, value end, kind. */
    int[] fields = new int[FIELD_INTS * 12];
    int fieldCount;
    /** Per message of the last top-level messages array: kind, role start, end, kind, content start, end, kind. */
    int[] messages = new int[MESSAGE_INTS * 4];
    int messageCount;
    int objectStart;
    boolean unusual;

    ChatScanner(byte[] b, int end) {
        super(b, end);
    }

    /** Scans the object starting at {@code i}; returns false when the bytes are not exactly one JSON object. */
    boolean scan(int start) {
        try {
            int i = ws(start);
            if (i >= end || b[i] != '{') {
                return false;
            }
            objectStart = i;
            i = members(i + 1);
            return ws(i) == end;
        } catch (Invalid e) {
            return false;
        }
    }

    private int members(int i) {
        i = ws(i);
        if (at(i) == '}') {
            return i + 1;
        }
        while (true) {
            i = name(i);
            int start = nameStart;
            int stop = nameEnd;
            int from = i;
            int kind = kind(at(i));
            if (kind == ARRAY && JsonScan.nameEquals(b, start, stop, "messages")) {
                i = messageList(i + 1);
            } else {
                if (JsonScan.nameEquals(b, start, stop, "messages")) {
                    messageCount = 0;
                }
                i = value(i, 1);
            }
            addField(start, stop, from, i, kind);
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }

    private int messageList(int i) {
        messageCount = 0;
        i = ws(i);
        if (at(i) == ']') {
            return i + 1;
        }
        while (true) {
            int slot = room();
            int kind = kind(at(i));
            messages[slot] = kind;
            messages[slot + 1] = messages[slot + 2] = messages[slot + 4] = messages[slot + 5] = -1;
            messages[slot + 3] = messages[slot + 6] = 0;
            i = kind == OBJECT ? message(i + 1, slot) : value(i, 2);
            i = next(i, ']');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }

    private int room() {
        if (messageCount * MESSAGE_INTS == messages.length) {
            messages = java.util.Arrays.copyOf(messages, messages.length * 2);
        }
        return messageCount++ * MESSAGE_INTS;
    }

    /** One message object: where its role and content lie; the last of a key written twice. */
    private int message(int i, int slot) {
        i = ws(i);
        if (at(i) == '}') {
            return i + 1;
        }
        while (true) {
            i = name(i);
            int start = nameStart;
            int stop = nameEnd;
            int from = i;
            int kind = kind(at(i));
            i = value(i, 3);
            if (JsonScan.nameEquals(b, start, stop, "role")) {
                messages[slot + 1] = from;
                messages[slot + 2] = i;
                messages[slot + 3] = kind;
            } else if (JsonScan.nameEquals(b, start, stop, "content")) {
                messages[slot + 4] = from;
                messages[slot + 5] = i;
                messages[slot + 6] = kind;
            }
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }

    private void addField(int nameStart, int nameEnd, int valueStart, int valueEnd, int kind) {
        if (fieldCount * FIELD_INTS == fields.length) {
            fields = java.util.Arrays.copyOf(fields, fields.length * 2);
        }
        int at = fieldCount++ * FIELD_INTS;
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fields[at + 4] = kind;
    }

    @Override
    void noteNumber(int from, int to, boolean fraction) {
        if (to - from > PLAIN_NUMBER_LENGTH) {
            unusual = true;
            return;
        }
        if (fraction) {
            for (int k = from; k < to; k++) {
                if (b[k] == 'e' || b[k] == 'E') {
                    unusual = true;
                    return;
                }
            }
        }
    }

    private static int kind(byte c) {
        return switch (c) {
            case '"' -> STRING;
            case 't' -> TRUE;
            case 'f' -> FALSE;
            case 'n' -> NULL;
            case '{' -> OBJECT;
            case '[' -> ARRAY;
            default -> NUMBER;
        };
    }
}
