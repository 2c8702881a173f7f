package dev.gearbox.wire;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The check the relay makes of every event of every stream, in one pass over its bytes that allocates
 * nothing: that they are one JSON object in strict UTF-8 (the grammar and limits of {@link JsonScan}),
 * whether its top-level {@code error} and {@code usage} are objects, and the text it generates
 * ({@code choices[].message} or {@code .delta}: {@code content}, {@code reasoning_content}, then each tool
 * call's {@code function.name} and {@code arguments}, the text {@code UsageEstimator} counts) appended to a
 * {@link Transcript}. A key written twice counts as its last value, as in a parsed object.
 */
public final class EventScan {

    /** The bytes are not one valid JSON object. */
    public static final int INVALID = -1;
    /** The top-level {@code error} is an object. */
    public static final int ERROR = 1;
    /** The top-level {@code usage} is an object. */
    public static final int USAGE = 2;

    // One scanner per thread: the relay runs on event loops, and a scanner per event or per stream cost more than the scan.
    private static final FastThreadLocal<Scanner> SCANNERS = new FastThreadLocal<>() {
        @Override
        protected Scanner initialValue() {
            return new Scanner();
        }
    };

    private EventScan() {
    }

    /**
     * Checks one event.
     *
     * @param transcript where the event's generated text goes, or null to keep none
     * @return {@link #INVALID}, or the {@link #ERROR} and {@link #USAGE} bits
     */
    public static int check(byte[] b, int offset, int length, Transcript transcript) {
        if (!Utf8.valid(b, offset, length)) {
            return INVALID;
        }
        int end = offset + length;
        int i = offset;
        if (end - i >= 3 && (b[i] & 0xff) == 0xef && (b[i + 1] & 0xff) == 0xbb && (b[i + 2] & 0xff) == 0xbf) {
            i += 3;
        }
        Scanner s = SCANNERS.get();
        s.reset(b, end);
        s.transcript = transcript;
        int mark = transcript == null ? 0 : transcript.length();
        try {
            i = s.ws(i);
            if (i >= end || b[i] != '{') {
                return INVALID;
            }
            return s.top(i + 1);
        } catch (JsonGrammar.Invalid e) {
            if (transcript != null) {
                transcript.rewind(mark);
            }
            return INVALID;
        } finally {
            s.transcript = null;
            s.reset(null, 0);
        }
    }

    private static final class Scanner extends JsonGrammar {
        private Transcript transcript;
        /** Name and arguments spans of the tool calls of the part being read: four ints a call. */
        private int[] tools = new int[16];
        private int toolCount;
        /** The function being read: its name's and its arguments' spans. */
        private final int[] function = new int[4];

        Scanner() {
            super(null, 0);
        }

        /** The members of the root object from after its '{'; the flags, once the rest is only whitespace. */
        int top(int i) {
            int flags = 0;
            int choicesMark = -1;
            i = ws(i);
            if (at(i) != '}') {
                while (true) {
                    i = name(i);
                    int start = nameStart;
                    int stop = nameEnd;
                    byte c = at(i);
                    if (JsonScan.nameEquals(b, start, stop, "error")) {
                        flags = c == '{' ? flags | ERROR : flags & ~ERROR;
                        i = value(i, 1);
                    } else if (JsonScan.nameEquals(b, start, stop, "usage")) {
                        flags = c == '{' ? flags | USAGE : flags & ~USAGE;
                        i = value(i, 1);
                    } else if (transcript != null && JsonScan.nameEquals(b, start, stop, "choices")) {
                        if (choicesMark >= 0) {
                            transcript.rewind(choicesMark);
                        }
                        choicesMark = transcript.length();
                        i = c == '[' ? choices(i + 1) : value(i, 1);
                    } else {
                        i = value(i, 1);
                    }
                    i = ws(i);
                    c = at(i);
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw invalid();
                    }
                    i = ws(i + 1);
                }
            }
            return ws(i + 1) == end ? flags : INVALID;
        }

        private int choices(int i) {
            i = ws(i);
            if (at(i) == ']') {
                return i + 1;
            }
            while (true) {
                i = at(i) == '{' ? choice(i + 1) : value(i, 2);
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

        /** One choice: the text of its message when that is an object, else of its delta. */
        private int choice(int i) {
            int messageFrom = -1;
            int messageTo = -1;
            int deltaFrom = -1;
            int deltaTo = -1;
            i = ws(i);
            if (at(i) == '}') {
                return i + 1;
            }
            while (true) {
                i = name(i);
                int start = nameStart;
                int stop = nameEnd;
                byte c = at(i);
                boolean message = JsonScan.nameEquals(b, start, stop, "message");
                if (message || JsonScan.nameEquals(b, start, stop, "delta")) {
                    // A later key replaces an earlier one: its text goes.
                    int from = message ? messageFrom : deltaFrom;
                    if (from >= 0) {
                        int to = message ? messageTo : deltaTo;
                        transcript.cut(from, to);
                        if (message && deltaFrom > from) {
                            deltaFrom -= to - from;
                            deltaTo -= to - from;
                        } else if (!message && messageFrom > from) {
                            messageFrom -= to - from;
                            messageTo -= to - from;
                        }
                    }
                    from = -1;
                    int to = -1;
                    if (c == '{') {
                        from = transcript.length();
                        i = part(i + 1);
                        to = transcript.length();
                    } else {
                        i = value(i, 3);
                    }
                    if (message) {
                        messageFrom = from;
                        messageTo = to;
                    } else {
                        deltaFrom = from;
                        deltaTo = to;
                    }
                } else {
                    i = value(i, 3);
                }
                i = ws(i);
                c = at(i);
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw invalid();
                }
                i = ws(i + 1);
            }
            if (messageFrom >= 0 && deltaFrom >= 0) {
                transcript.cut(deltaFrom, deltaTo);
            }
            return i + 1;
        }

        /** A message or delta: its content, reasoning and tool calls' text, in that order whatever the key order. */
        private int part(int i) {
            int contentStart = -1;
            int contentEnd = -1;
            int reasoningStart = -1;
            int reasoningEnd = -1;
            toolCount = 0;
            i = ws(i);
            if (at(i) != '}') {
                while (true) {
                    i = name(i);
                    int start = nameStart;
                    int stop = nameEnd;
                    byte c = at(i);
                    boolean content = JsonScan.nameEquals(b, start, stop, "content");
                    if (content || JsonScan.nameEquals(b, start, stop, "reasoning_content")) {
                        int from = -1;
                        int to = -1;
                        if (c == '"') {
                            from = i + 1;
                            i = string(i + 1);
                            to = i - 1;
                        } else {
                            i = value(i, 4);
                        }
                        if (content) {
                            contentStart = from;
                            contentEnd = to;
                        } else {
                            reasoningStart = from;
                            reasoningEnd = to;
                        }
                    } else if (JsonScan.nameEquals(b, start, stop, "tool_calls")) {
                        toolCount = 0;
                        i = c == '[' ? toolCalls(i + 1) : value(i, 4);
                    } else {
                        i = value(i, 4);
                    }
                    i = ws(i);
                    c = at(i);
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw invalid();
                    }
                    i = ws(i + 1);
                }
            }
            if (contentStart >= 0) {
                transcript.append(b, contentStart, contentEnd);
            }
            if (reasoningStart >= 0) {
                transcript.append(b, reasoningStart, reasoningEnd);
            }
            for (int k = 0; k < toolCount * 4; k += 4) {
                if (tools[k] >= 0) {
                    transcript.append(b, tools[k], tools[k + 1]);
                }
                if (tools[k + 2] >= 0) {
                    transcript.append(b, tools[k + 2], tools[k + 3]);
                }
            }
            toolCount = 0;
            return i + 1;
        }

        private int toolCalls(int i) {
            i = ws(i);
            if (at(i) == ']') {
                return i + 1;
            }
            while (true) {
                i = at(i) == '{' ? toolCall(i + 1) : value(i, 5);
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

        /** One tool call: the name and arguments of its function, when that is an object. */
        private int toolCall(int i) {
            int[] spans = function;
            spans[0] = spans[1] = spans[2] = spans[3] = -1;
            boolean isFunction = false;
            i = ws(i);
            if (at(i) != '}') {
                while (true) {
                    i = name(i);
                    int start = nameStart;
                    int stop = nameEnd;
                    byte c = at(i);
                    if (JsonScan.nameEquals(b, start, stop, "function")) {
                        spans[0] = spans[1] = spans[2] = spans[3] = -1;
                        isFunction = c == '{';
                        i = isFunction ? function(i + 1, spans) : value(i, 6);
                    } else {
                        i = value(i, 6);
                    }
                    i = ws(i);
                    c = at(i);
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw invalid();
                    }
                    i = ws(i + 1);
                }
            }
            if (isFunction) {
                if (toolCount * 4 == tools.length) {
                    tools = java.util.Arrays.copyOf(tools, tools.length * 2);
                }
                System.arraycopy(spans, 0, tools, toolCount * 4, 4);
                toolCount++;
            }
            return i + 1;
        }

        private int function(int i, int[] spans) {
            i = ws(i);
            if (at(i) == '}') {
                return i + 1;
            }
            while (true) {
                i = name(i);
                int start = nameStart;
                int stop = nameEnd;
                byte c = at(i);
                boolean isName = JsonScan.nameEquals(b, start, stop, "name");
                if (isName || JsonScan.nameEquals(b, start, stop, "arguments")) {
                    int at = isName ? 0 : 2;
                    if (c == '"') {
                        spans[at] = i + 1;
                        i = string(i + 1);
                        spans[at + 1] = i - 1;
                    } else {
                        spans[at] = spans[at + 1] = -1;
                        i = value(i, 7);
                    }
                } else {
                    i = value(i, 7);
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
    }
}
