package dev.gearbox.providers;

/** No usable response could be had from a provider: it could not be reached, timed out, or broke the protocol. */
public final class ProviderException extends RuntimeException {

    /** Why the call failed; decides the status the client sees. */
    public enum Kind {
        /** Could not connect, or the connection broke. */
        CONNECTION,
        /** No byte within the allowed time. */
        TIMEOUT,
        /** The response was not what the API promises. */
        PROTOCOL,
        /**
         * The gateway's own connection pool had no connection free in time, so the provider was never asked:
         * an overload of the gateway, not a failure of the provider.
         */
        BUSY
    }

    private final Kind kind;
    private final String provider;

    public ProviderException(Kind kind, String provider, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.provider = provider;
    }

    public Kind kind() {
        return kind;
    }

    public String provider() {
        return provider;
    }
}
