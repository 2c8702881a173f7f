package dev.gearbox.exchange;

/**
 * When things happened to one request upstream, on the nanosecond scale of the gateway's {@code Scheduler};
 * 0 means "not yet". Recorded by the {@link Exchange} as the stages tell it; read by listeners.
 */
public final class Timings {

    private long upstreamSentNanos;
    private long attemptStartNanos;
    private long firstByteNanos;
    private long upstreamDoneNanos;

    void attempt(long nanos) {
        if (upstreamSentNanos == 0) {
            upstreamSentNanos = nanos;
        }
        attemptStartNanos = nanos;
    }

    void firstByte(long nanos) {
        if (firstByteNanos == 0) {
            firstByteNanos = nanos;
        }
    }

    void upstreamDone(long nanos) {
        upstreamDoneNanos = nanos;
    }

    /** When the first call upstream left. */
    public long upstreamSentNanos() {
        return upstreamSentNanos;
    }

    /** When the answering (or latest) attempt left. */
    public long attemptStartNanos() {
        return attemptStartNanos;
    }

    /** When the first good byte of the answer arrived, from upstream or the cache. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    /** When upstream finished its answer. */
    public long upstreamDoneNanos() {
        return upstreamDoneNanos;
    }
}
