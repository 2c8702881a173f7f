package dev.gearbox.api;

/**
 * Where the gateway's own fields sit in the raw bytes of a chat request that has parsed as a JSON object:
 * the value of {@code model}, and whether {@code stream_options} is there.
 *
 * <p>Lets the upstream body be the client's bytes with the model spliced in. Anything the scan does not
 * plainly understand (an escaped key, a key written twice) makes it {@linkplain #usable() unusable}, and
 * the body is built from the parsed JSON instead.
 */
final class TopLevelFields {

    private static final TopLevelFields UNUSABLE = new TopLevelFields(false, -1, -1, -1, false);

    private final boolean usable;
    private final int objectStart;
    private final int modelStart;
    private final int modelEnd;
    private final boolean streamOptions;

    private TopLevelFields(boolean usable, int objectStart, int modelStart, int modelEnd, boolean streamOptions) {
        this.usable = usable;
        this.objectStart = objectStart;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.streamOptions = streamOptions;
    }

    /** Scans a body that has already parsed as one JSON object. */
    static TopLevelFields scan(byte[] b) {
        try {
            int i = whitespace(b, 0);
            if (b[i] != '{') {
                return UNUSABLE;
            }
            int objectStart = i;
            int modelStart = -1;
            int modelEnd = -1;
            boolean streamOptions = false;
            i = whitespace(b, i + 1);
            while (b[i] != '}') {
                if (b[i] != '"') {
                    return UNUSABLE;
                }
                int keyEnd = stringEnd(b, i);
                if (keyEnd < 0) {
                    return UNUSABLE;
                }
                boolean model = is(b, i + 1, keyEnd, "model");
                boolean options = is(b, i + 1, keyEnd, "stream_options");
                i = whitespace(b, keyEnd + 1);
                if (b[i] != ':') {
                    return UNUSABLE;
                }
                int valueStart = whitespace(b, i + 1);
                int valueEnd = valueEnd(b, valueStart);
                if ((model && modelStart >= 0) || (options && streamOptions)) {
                    return UNUSABLE;
                }
                if (model) {
                    modelStart = valueStart;
                    modelEnd = valueEnd;
                }
                streamOptions |= options;
                i = whitespace(b, valueEnd);
                if (b[i] == ',') {
                    i = whitespace(b, i + 1);
                } else if (b[i] != '}') {
                    return UNUSABLE;
                }
            }
            return new TopLevelFields(true, objectStart, modelStart, modelEnd, streamOptions);
        } catch (ArrayIndexOutOfBoundsException e) {
            // Cannot happen for a body that parsed; if it does, the JSON path still serves the request.
            return UNUSABLE;
        }
    }

    boolean usable() {
        return usable;
    }

    /** Whether the object has the field: {@code model} or {@code stream_options}. */
    boolean has(String field) {
        return "model".equals(field) ? modelStart >= 0 : streamOptions;
    }

    /** Where the object's opening brace is. */
    int objectStart() {
        return objectStart;
    }

    /** Where the value of {@code model} starts. */
    int modelStart() {
        return modelStart;
    }

    /** Just past the value of {@code model}. */
    int modelEnd() {
        return modelEnd;
    }

    private static int whitespace(byte[] b, int i) {
        while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
            i++;
        }
        return i;
    }

    /** The index of the quote that closes a key; -1 when the key holds an escape, which the scan does not decode. */
    private static int stringEnd(byte[] b, int quote) {
        for (int i = quote + 1; ; i++) {
            if (b[i] == '"') {
                return i;
            }
            if (b[i] == '\\') {
                return -1;
            }
        }
    }

    private static boolean is(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (b[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Just past the value that starts at {@code i}. */
    private static int valueEnd(byte[] b, int i) {
        if (b[i] == '"') {
            return skipString(b, i) + 1;
        }
        if (b[i] == '{' || b[i] == '[') {
            int depth = 0;
            for (; ; i++) {
                byte c = b[i];
                if (c == '"') {
                    i = skipString(b, i);
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return i + 1;
                }
            }
        }
        while (b[i] != ',' && b[i] != '}' && b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    /** The index of the quote that closes the string starting at {@code quote}. */
    private static int skipString(byte[] b, int quote) {
        for (int i = quote + 1; ; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
    }
}
