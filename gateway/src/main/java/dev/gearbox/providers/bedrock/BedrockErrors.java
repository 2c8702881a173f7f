package dev.gearbox.providers.bedrock;

import dev.gearbox.providers.ProviderError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Bedrock's error body, {@code {"message": "..."}} (its type is in the {@code x-amzn-ErrorType} header, and the
 * status says as much: 400 validation, 403 access, 404 model, 429 throttling, 5xx the service's own), in
 * OpenAI's terms. A throttled call is a 429, retried or fallen back from like any other.
 */
final class BedrockErrors {

    private BedrockErrors() {
    }

    static ProviderError read(int status, Buffer body) {
        String message;
        try {
            JsonObject json = new JsonObject(body);
            message = json.getValue("message") instanceof String m ? m : json.getValue("Message") instanceof String m2 ? m2 : null;
        } catch (RuntimeException notJson) {
            message = body.length() == 0 ? null : body.toString();
        }
        String code = switch (status) {
            case 400 -> "validation_exception";
            case 403 -> "access_denied_exception";
            case 404 -> "resource_not_found_exception";
            case 408 -> "model_timeout_exception";
            case 424 -> "model_error_exception";
            case 429 -> "throttling_exception";
            case 503 -> "service_unavailable_exception";
            default -> null;
        };
        return new ProviderError(message, null, code, null);
    }
}
