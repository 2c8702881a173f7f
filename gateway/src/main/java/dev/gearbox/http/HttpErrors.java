package dev.gearbox.http;

import dev.gearbox.wire.ApiException;

/**
 * The errors the HTTP layer raises itself, whichever way a request is served (the inbound routes or the web
 * router), so a client sees the same code and message for the same fault.
 */
final class HttpErrors {

    private HttpErrors() {
    }

    static ApiException bodyTooLarge(long maxBodyBytes) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes.");
    }

    static ApiException bodyTimedOut(long timeoutMs) {
        return new ApiException(408, "invalid_request_error", "request_timeout", null,
                "The request body did not arrive within " + timeoutMs + " ms.");
    }

    /** What the client learns of a failure of the gateway's own; the cause goes to the log only. */
    static ApiException internal() {
        return new ApiException(500, "server_error", "internal_error", null, "The gateway failed to process the request.");
    }
}
