package dev.gearbox.wire;

/**
 * The one pass of {@link EventScan}: the grammar of {@link JsonGrammar} over an event's bytes, noting the
 * top-level {@code error} and {@code usage} and appending the generated text to a {@link Transcript}.
 * One per event-loop thread, reset for each event.
 */
final class EventScanner extends JsonGrammar {
    Transcript transcript;
    /** Name and arguments spans of the tool calls of the part being read: four ints a call. */
    private int[] tools = new int[16];
    private int toolCount;
    /** The function being read: its name's and its arguments' spans. */
    private final int[] function = new int[4];

    EventScanner() {
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
                    flags = c == '{' ? flags | EventScan.ERROR : flags & ~EventScan.ERROR;
                    i = value(i, 1);
                } else if (JsonScan.nameEquals(b, start, stop, "usage")) {
                    flags = c == '{' ? flags | EventScan.USAGE : flags & ~EventScan.USAGE;
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
                i = next(i, '}');
                if (i < 0) {
                    i = ~i;
                    break;
                }
            }
        }
        return ws(i + 1) == end ? flags : EventScan.INVALID;
    }

    private int choices(int i) {
        return array(i, true, 2);
    }

    private int toolCalls(int i) {
        return array(i, false, 5);
    }

    /**
     * The elements of an array from after its '[': each object a choice (or a tool call), anything else skipped
     * at {@code depth}. One loop for both, chosen by a flag rather than a lambda, so the scan allocates nothing.
     */
    private int array(int i, boolean choices, int depth) {
        i = ws(i);
        if (at(i) == ']') {
            return i + 1;
        }
        while (true) {
            i = at(i) != '{' ? value(i, depth) : choices ? choice(i + 1) : toolCall(i + 1);
            i = next(i, ']');
            if (i < 0) {
                return ~i + 1;
            }
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
            i = next(i, '}');
            if (i < 0) {
                i = ~i;
                break;
            }
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
                i = next(i, '}');
                if (i < 0) {
                    i = ~i;
                    break;
                }
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
                i = next(i, '}');
                if (i < 0) {
                    i = ~i;
                    break;
                }
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
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
        }
    }
}
