package dev.gearbox.upstream;

import dev.gearbox.wire.ApiException;
import java.util.Objects;

/**
 * Why one upstream attempt failed, and so what may follow it.
 *
 * @param code what the fallback path shows, such as {@code 503} or {@code timeout}
 * @param kind whose fault it was
 * @param retryAfterMs what upstream asked to wait, or -1
 * @param error what the client sees if nothing else answers
 */
public record Failure(String code, Kind kind, long retryAfterMs, ApiException error) {

    /** Whose fault a failure was, which decides retry, fallback and the breaker. */
    public enum Kind {
        /** The model failed: 5xx, no answer in time, a broken connection or a malformed answer. */
        MODEL(true, true),
        /** The model is busy (429): try again after its {@code Retry-After}; not held against its health. */
        THROTTLED(true, false),
        /** The model refused the call (401, 403, 404, ...): another model may take it, this one will not. */
        REFUSED(false, true),
        /** The request's own fault (400, 422): no model would answer differently, so it goes to the client. */
        REQUEST(false, false),
        /**
         * The gateway's own limit (no pooled connection free in time): the model was never asked, so it is
         * not held against it, and retrying at once would only queue again; another candidate may have room.
         */
        OVERLOADED(false, false);

        private final boolean retryable;
        private final boolean countsAgainstModel;

        Kind(boolean retryable, boolean countsAgainstModel) {
            this.retryable = retryable;
            this.countsAgainstModel = countsAgainstModel;
        }
    }

    public Failure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(error, "error");
    }

    /** Whether the same model may be tried again. */
    public boolean retryable() {
        return kind.retryable;
    }

    /** Whether the model's breaker counts it as the model's failure. */
    public boolean countsAgainstModel() {
        return kind.countsAgainstModel;
    }

    /** Whether no other model is to be tried. */
    public boolean terminal() {
        return kind == Kind.REQUEST;
    }
}
