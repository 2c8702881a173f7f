package dev.gearbox.providers;

import dev.gearbox.cost.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * A whole answer in the canonical form.
 *
 * @param body the answer's bytes: the provider's own when they are already canonical
 * @param contentType the content type to serve it with
 * @param usage the tokens the provider reported, or null when it reported none
 */
public record TranslatedAnswer(Buffer body, String contentType, Usage usage) {

    public TranslatedAnswer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
    }
}
