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
    private static final FastThreadLocal<EventScanner> SCANNERS = new FastThreadLocal<>() {
        @Override
        protected EventScanner initialValue() {
            return new EventScanner();
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
        EventScanner s = SCANNERS.get();
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
}
