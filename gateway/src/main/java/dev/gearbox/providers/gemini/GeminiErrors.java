package dev.gearbox.providers.gemini;

import dev.gearbox.providers.ProviderError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Google's error shape, {@code {"error": {"code", "message", "status"}}}, in OpenAI's terms: the status
 * ({@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED}, ...) as the code and its kind as the type. The HTTP
 * status decides retry and fallback as for every provider (429 and 5xx retry or fall back, 400 stops).
 */
public final class GeminiErrors {

    private GeminiErrors() {
    }

    public static ProviderError read(Buffer body) {
        try {
            JsonObject json = new JsonObject(body);
            JsonObject error = json.getValue("error") instanceof JsonObject e ? e : null;
            if (error == null) {
                return ProviderError.NONE;
            }
            String status = error.getValue("status") instanceof String s ? s : null;
            return new ProviderError(error.getValue("message") instanceof String m ? m : null, type(status),
                    status == null ? null : status.toLowerCase(java.util.Locale.ROOT), null);
        } catch (RuntimeException notJson) {
            // Gemini answers some errors as an array of one error object.
            try {
                io.vertx.core.json.JsonArray array = new io.vertx.core.json.JsonArray(body);
                if (!array.isEmpty() && array.getValue(0) instanceof JsonObject first) {
                    return read(first.toBuffer());
                }
            } catch (RuntimeException notAnArray) {
                // Neither shape: the text itself is all there is.
            }
            return new ProviderError(body.length() == 0 ? null : body.toString(), null, null, null);
        }
    }

    private static String type(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> "invalid_request_error";
            case "UNAUTHENTICATED" -> "authentication_error";
            case "PERMISSION_DENIED" -> "permission_error";
            case "NOT_FOUND" -> "not_found_error";
            case "RESOURCE_EXHAUSTED" -> "rate_limit_error";
            default -> null;
        };
    }
}
