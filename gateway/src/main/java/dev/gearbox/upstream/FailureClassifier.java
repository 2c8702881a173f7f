package dev.gearbox.upstream;

import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.ProviderException;
import dev.gearbox.resilience.Backoff;
import dev.gearbox.wire.ApiException;
import java.time.Clock;

/**
 * Turns what went wrong with an upstream attempt into a {@link Failure}: whose fault it was, what the path
 * shows and what the client sees. Pure apart from the clock that reads {@code Retry-After} dates.
 */
public final class FailureClassifier {

    private final UpstreamErrors errors;
    private final Clock clock;

    private FailureClassifier(UpstreamErrors errors, Clock clock) {
        this.errors = errors;
        this.clock = clock;
    }

    public static FailureClassifier of(UpstreamErrors errors, Clock clock) {
        return new FailureClassifier(errors, clock);
    }

    /** A non-2xx response. */
    public Failure status(String provider, int status, String retryAfter, ProviderError said) {
        ApiException error = errors.of(provider, status, retryAfter, said);
        Failure.Kind kind;
        if (status == 429) {
            kind = Failure.Kind.THROTTLED;
        } else if (status >= 500) {
            kind = Failure.Kind.MODEL;
        } else if (status == 400 || status == 422) {
            kind = Failure.Kind.REQUEST;
        } else {
            kind = Failure.Kind.REFUSED;
        }
        return new Failure(String.valueOf(status), kind, Backoff.retryAfterMs(retryAfter, clock), error);
    }

    /** A non-2xx response whose body could not be read. */
    public Failure unreadableStatus(int status, String retryAfter, Throwable cause) {
        Failure.Kind kind = status == 429 ? Failure.Kind.THROTTLED : status == 400 || status == 422
                ? Failure.Kind.REQUEST : status >= 500 ? Failure.Kind.MODEL : Failure.Kind.REFUSED;
        return new Failure(String.valueOf(status), kind, Backoff.retryAfterMs(retryAfter, clock), errors.of(cause));
    }

    /** No response, or its body broke off. */
    public Failure noResponse(Throwable cause) {
        ProviderException.Kind kind = cause instanceof ProviderException pe ? pe.kind() : null;
        if (kind == ProviderException.Kind.BUSY) {
            return new Failure("busy", Failure.Kind.OVERLOADED, -1, errors.of(cause));
        }
        String code = kind == ProviderException.Kind.TIMEOUT ? "timeout" : "connect";
        return new Failure(code, Failure.Kind.MODEL, -1, errors.of(cause));
    }

    /** A whole body that stopped arriving after its head. */
    public Failure bodyStalled(String provider, long idleMs) {
        return noResponse(new ProviderException(ProviderException.Kind.TIMEOUT, provider,
                "provider " + provider + " sent nothing of its answer for " + idleMs + " ms", null));
    }

    /** No first byte within the attempt's time. */
    public Failure firstByteTimeout(String provider, long waitedMs) {
        return new Failure("timeout", Failure.Kind.MODEL, -1, new ApiException(504, "server_error", "upstream_timeout",
                null, "The upstream provider " + provider + " sent no first byte within " + waitedMs + " ms."));
    }

    /**
     * A 2xx response that broke the API.
     *
     * @param what completes "The upstream provider X ...", such as "answered with content type text/html"
     */
    public Failure protocol(String provider, String code, String what) {
        // "what" may quote the provider, as an error in a 200 does.
        return new Failure(code, Failure.Kind.MODEL, -1, new ApiException(502, "server_error", "upstream_" + code, null,
                "The upstream provider " + provider + " " + errors.scrub(what) + "."));
    }

    /** What masks provider keys in what a provider said. */
    Redaction redaction() {
        return errors.redaction();
    }

    /** A stream that failed before its first good event. */
    public Failure stream(String provider, String code, String message) {
        return new Failure(code, Failure.Kind.MODEL, -1, new ApiException(502, "server_error", "upstream_" + code, null,
                "The upstream provider " + provider + " failed: " + errors.scrub(message)));
    }
}
