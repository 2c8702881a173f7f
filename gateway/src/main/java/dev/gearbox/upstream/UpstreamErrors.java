package dev.gearbox.upstream;

import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.ProviderException;
import dev.gearbox.wire.ApiException;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Turns a provider's failure into the error the client sees.
 *
 * <p>A 4xx keeps its status and the provider's message (429 keeps {@code Retry-After}), since the client
 * can act on it. A 5xx becomes 502 and a timeout 504: the gateway, not the client, is talking to that
 * upstream. Provider keys are scrubbed from every message.
 */
public final class UpstreamErrors {

    private static final int MAX_MESSAGE = 2_000;
    /**
     * What an overloaded gateway asks a client to wait, in seconds: its limits free up as calls finish, and
     * the OpenAI SDKs honour the header when they retry.
     */
    static final String OVERLOAD_RETRY_AFTER = "1";

    private final Redaction redaction;

    /** @param secrets values that must never reach a client, such as provider API keys */
    public UpstreamErrors(List<String> secrets) {
        this.redaction = Redaction.of(secrets);
    }

    /** The error for a call that got no response. */
    public ApiException of(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof ProviderException pe && pe.kind() == ProviderException.Kind.BUSY) {
            return overloaded("The gateway is at its limit of connections to " + pe.provider()
                    + "; try again shortly.");
        }
        if (failure instanceof ProviderException pe) {
            return pe.kind() == ProviderException.Kind.TIMEOUT
                    ? new ApiException(504, "server_error", "upstream_timeout", null, scrub(pe.getMessage()) + ".")
                    : new ApiException(502, "server_error", "upstream_unavailable", null, scrub(pe.getMessage()) + ".");
        }
        return new ApiException(502, "server_error", "upstream_unavailable", null,
                "The upstream provider failed: " + scrub(String.valueOf(failure.getMessage())));
    }

    /** 503 with {@code Retry-After}: the gateway's own limits are full, no provider failed. */
    static ApiException overloaded(String message) {
        return new ApiException(503, "server_error", "gateway_busy", null, message, OVERLOAD_RETRY_AFTER);
    }

    /** The error for an upstream response with a non-2xx status and an OpenAI-shaped body. */
    public ApiException of(String provider, int status, String retryAfter, Buffer body) {
        return of(provider, status, retryAfter, CanonicalTranslator.openAiError(body));
    }

    /** The error for an upstream response with a non-2xx status, from what the provider said. */
    public ApiException of(String provider, int status, String retryAfter, ProviderError said) {
        String message = said.message();
        String type = said.type();
        if (message == null || message.isBlank()) {
            message = "HTTP " + status;
        }
        message = scrub(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message);
        if (status >= 500) {
            return new ApiException(502, "server_error", "upstream_error", null,
                    "The upstream provider " + provider + " failed with HTTP " + status + ": " + message);
        }
        if (type == null) {
            type = switch (status) {
                case 401 -> "authentication_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 429 -> "rate_limit_error";
                default -> "invalid_request_error";
            };
        }
        return new ApiException(status, type, said.code(), said.param(), message, status == 429 ? retryAfter : null);
    }

    String scrub(String text) {
        return redaction.text(text);
    }

    /** What masks provider keys in anything else a provider said: stream events, and the log. */
    Redaction redaction() {
        return redaction;
    }
}
