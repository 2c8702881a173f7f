package dev.gearbox.wire;

/** One scan's state: the bytes, and what the top level found: its fields' kinds and the usage block's counts. */
final class JsonScanner extends JsonGrammar {
    int[] fields = new int[3 * 8];
    int fieldCount;
    long[] usage;
    int usageCount;

    JsonScanner(byte[] b, int end) {
        super(b, end);
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
            byte kind = c == '{' ? JsonScan.OBJECT : c == '[' ? JsonScan.ARRAY : JsonScan.OTHER;
            if (kind == JsonScan.OBJECT && JsonScan.nameEquals(b, start, stop, "usage")) {
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
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
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
            i = next(i, '}');
            if (i < 0) {
                return ~i + 1;
            }
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










}
