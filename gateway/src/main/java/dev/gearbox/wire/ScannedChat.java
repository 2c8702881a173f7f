package dev.gearbox.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A chat request's body as the client sent it, with where its values lie ({@link ChatScanner}): values are
 * decoded from the bytes when asked for, an object or array is parsed alone, and the whole tree only when
 * {@link #tree()} is called. A key written twice reads as its last value, as in a parsed object.
 */
final class ScannedChat implements ChatView {

    private final byte[] b;
    private final int offset;
    private final int length;
    private final int[] fields;
    private final int fieldCount;
    private final int[] messages;
    private final int messageCount;
    private final int objectStart;
    private JsonObject tree;

    private ScannedChat(byte[] b, int offset, int length, ChatScanner scan) {
        this.b = b;
        this.offset = offset;
        this.length = length;
        this.fields = scan.fields;
        this.fieldCount = scan.fieldCount;
        this.messages = scan.messages;
        this.messageCount = scan.messageCount;
        this.objectStart = scan.objectStart;
    }

    /**
     * The scanned body, or null when the tree parser must judge it: bytes that are not one JSON object (a
     * byte-order mark among them). Bytes that Jackson's limits for requests might read differently
     * ({@link ChatScanner#unusual}: an exponent, a very long number) are judged by the tree parser too, which
     * throws the client's error; when it accepts them their values are read from its tree, and the splice
     * still works on the bytes.
     */
    static ScannedChat scan(byte[] b, int offset, int length) {
        int end = offset + length;
        if (!Utf8.valid(b, offset, length) || (length >= 3 && (b[offset] & 0xff) == 0xef)) {
            return null;
        }
        ChatScanner scan = new ChatScanner(b, end);
        if (!scan.scan(offset)) {
            return null;
        }
        ScannedChat chat = new ScannedChat(b, offset, length, scan);
        if (scan.unusual) {
            chat.tree = JsonBody.parse(b, offset, length).json();
        }
        return chat;
    }

    byte[] bytes() {
        return b;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    int objectStart() {
        return objectStart;
    }

    /** Where the last field of that name sits in {@link #fields}, or -1. */
    int field(String name) {
        for (int i = fieldCount - 1; i >= 0; i--) {
            int at = i * ChatScanner.FIELD_INTS;
            if (JsonScan.nameEquals(b, fields[at], fields[at + 1], name)) {
                return at;
            }
        }
        return -1;
    }

    /** How many times a top-level key is written. */
    int occurrences(String name) {
        int n = 0;
        for (int i = 0; i < fieldCount; i++) {
            int at = i * ChatScanner.FIELD_INTS;
            if (JsonScan.nameEquals(b, fields[at], fields[at + 1], name)) {
                n++;
            }
        }
        return n;
    }

    /** Where the member of the field at {@code at} starts: its name's opening quote. */
    int memberStart(int at) {
        return fields[at] - 1;
    }

    int valueStart(int at) {
        return fields[at + 2];
    }

    int valueEnd(int at) {
        return fields[at + 3];
    }

    @Override
    public Object value(String field) {
        if (tree != null) {
            return tree.getValue(field);
        }
        int at = field(field);
        return at < 0 ? null : decode(fields[at + 2], fields[at + 3], fields[at + 4]);
    }

    @Override
    public Kind kind(String field) {
        int at = field(field);
        return at < 0 ? Kind.ABSENT : kind(fields[at + 4]);
    }

    @Override
    public boolean nonEmptyArray(String field) {
        int at = field(field);
        if (at < 0 || fields[at + 4] != ChatScanner.ARRAY) {
            return false;
        }
        int i = fields[at + 2] + 1;
        while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
            i++;
        }
        return b[i] != ']';
    }

    @Override
    public int messageCount() {
        return messageCount;
    }

    @Override
    public boolean isMessage(int i) {
        return messages[i * ChatScanner.MESSAGE_INTS] == ChatScanner.OBJECT;
    }

    @Override
    public Object role(int i) {
        int at = i * ChatScanner.MESSAGE_INTS;
        return messages[at + 1] < 0 ? null : decode(messages[at + 1], messages[at + 2], messages[at + 3]);
    }

    @Override
    public Object content(int i) {
        int at = i * ChatScanner.MESSAGE_INTS;
        return messages[at + 4] < 0 ? null : decode(messages[at + 4], messages[at + 5], messages[at + 6]);
    }

    @Override
    public Kind contentKind(int i) {
        int at = i * ChatScanner.MESSAGE_INTS;
        return messages[at + 4] < 0 ? Kind.ABSENT : kind(messages[at + 6]);
    }

    @Override
    public JsonObject tree() {
        if (tree == null) {
            tree = JsonBody.parse(b, offset, length).json();
        }
        return tree;
    }

    /** Whether role {@code i} is the string {@code expected}, without decoding it. */
    boolean roleIs(int i, String expected) {
        int at = i * ChatScanner.MESSAGE_INTS;
        return messages[at + 3] == ChatScanner.STRING
                && JsonScan.nameEquals(b, messages[at + 1] + 1, messages[at + 2] - 1, expected);
    }

    private Object decode(int start, int end, int kind) {
        switch (kind) {
            case ChatScanner.STRING:
                return string(start + 1, end - 1);
            case ChatScanner.NUMBER:
                return number(start, end);
            case ChatScanner.TRUE:
                return Boolean.TRUE;
            case ChatScanner.FALSE:
                return Boolean.FALSE;
            case ChatScanner.OBJECT:
                return new JsonObject(JsonBody.map(b, start, end - start));
            case ChatScanner.ARRAY:
                return new JsonArray(JsonBody.list(b, start, end - start));
            default:
                return null;
        }
    }

    private String string(int start, int end) {
        for (int k = start; k < end; k++) {
            if (b[k] == '\\') {
                return JsonScan.decode(b, start, end);
            }
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    /** As Jackson gives it: Integer, Long or BigInteger for a whole number, Double for any other. */
    private Object number(int start, int end) {
        String text = new String(b, start, end - start, StandardCharsets.US_ASCII);
        for (int k = start; k < end; k++) {
            if (b[k] == '.' || b[k] == 'e' || b[k] == 'E') {
                return Double.parseDouble(text);
            }
        }
        if (end - start <= 18) {
            long v = Long.parseLong(text);
            // Boxed apart: in one conditional expression Integer and Long would both unbox to long.
            if (v == (int) v) {
                return Integer.valueOf((int) v);
            }
            return Long.valueOf(v);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static Kind kind(int kind) {
        return switch (kind) {
            case ChatScanner.STRING -> Kind.STRING;
            case ChatScanner.NUMBER -> Kind.NUMBER;
            case ChatScanner.TRUE, ChatScanner.FALSE -> Kind.BOOLEAN;
            case ChatScanner.NULL -> Kind.NULL;
            case ChatScanner.OBJECT -> Kind.OBJECT;
            default -> Kind.ARRAY;
        };
    }
}
