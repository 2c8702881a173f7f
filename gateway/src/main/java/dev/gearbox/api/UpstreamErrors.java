package dev.gearbox.api;

import dev.gearbox.providers.ProviderException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a provider's failure into the error the client sees.
 *
 * <p>A 4xx keeps its status and the provider's message (429 keeps {@code Retry-After}), since the client
 * can act on it. A 5xx becomes 502 and a timeout 504: the gateway, not the client, is talking to that
 * upstream. Provider keys are scrubbed from every message.
 */
public final class UpstreamErrors {

    private static final Pattern KEY_LIKE = Pattern.compile("(sk-[A-Za-z0-9_*-]{3})[A-Za-z0-9_*-]+");
    private static final int MAX_MESSAGE = 2_000;

    private final List<String> secrets;

    /** @param secrets values that must never reach a client, such as provider API keys */
    public UpstreamErrors(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /** The error for a call that got no response. */
    ApiException of(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof ProviderException pe) {
            return pe.kind() == ProviderException.Kind.TIMEOUT
                    ? new ApiException(504, "server_error", "upstream_timeout", null, scrub(pe.getMessage()) + ".")
                    : new ApiException(502, "server_error", "upstream_unavailable", null, scrub(pe.getMessage()) + ".");
        }
        return new ApiException(502, "server_error", "upstream_unavailable", null,
                "The upstream provider failed: " + scrub(String.valueOf(failure.getMessage())));
    }

    /** The error for an upstream response with a non-2xx status. */
    ApiException of(String provider, int status, String retryAfter, Buffer body) {
        String message = null;
        String type = null;
        String code = null;
        String param = null;
        try {
            JsonObject json = new JsonObject(body);
            Object error = json.getValue("error");
            if (error instanceof JsonObject e) {
                message = e.getValue("message") instanceof String m ? m : null;
                type = e.getValue("type") instanceof String t ? t : null;
                code = e.getValue("code") == null ? null : String.valueOf(e.getValue("code"));
                param = e.getValue("param") instanceof String p ? p : null;
            } else if (error instanceof String s) {
                message = s;
            } else if (json.getValue("message") instanceof String m) {
                message = m;
            }
        } catch (RuntimeException notJson) {
            message = body.length() == 0 ? null : body.toString();
        }
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
        return new ApiException(status, type, code, param, message, status == 429 ? retryAfter : null);
    }

    String scrub(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return KEY_LIKE.matcher(out).replaceAll("$1***");
    }
}
