package dev.gearbox.providers.anthropic;

import dev.gearbox.providers.ProviderError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads Anthropic's error shape, {@code {"type":"error","error":{"type":...,"message":...}}}. Its types
 * ({@code invalid_request_error}, {@code rate_limit_error}, {@code overloaded_error}) are kept; whether a
 * failure is retried follows its status (529 and 429 are, 400 is not), as for every provider.
 */
final class MessagesErrors {

    private MessagesErrors() {
    }

    static ProviderError read(Buffer body) {
        try {
            return read(new JsonObject(body));
        } catch (RuntimeException notJson) {
            return new ProviderError(body.length() == 0 ? null : body.toString(), null, null, null);
        }
    }

    static ProviderError read(JsonObject json) {
        if (json.getValue("error") instanceof JsonObject e) {
            return new ProviderError(e.getValue("message") instanceof String m ? m : null,
                    e.getValue("type") instanceof String t ? t : null, null, null);
        }
        return json.getValue("message") instanceof String m ? new ProviderError(m, null, null, null) : ProviderError.NONE;
    }
}
