package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Between the gateway's canonical form (OpenAI's chat completions) and one provider's wire format: where the
 * call goes and how it is authenticated, the request body out; a whole answer, stream events, usage and
 * errors back in. As Envoy AI Gateway's translators: one class per wire-format pair, made per attempt, so a
 * stream decoder keeps its state here.
 */
public interface Translator {

    /**
     * Where this attempt goes (method, path and query below the provider's base URL, for this model and this
     * request, stream or not) and how it proves who sends it.
     */
    UpstreamTarget target(Request request, ModelConfig model);

    /** The body to send upstream for {@code request} on {@code model}. */
    UpstreamBody request(Request request, ModelConfig model);

    /** The media type of a streamed answer from this upstream: server-sent events unless it frames its own. */
    default String streamContentType() {
        return "text/event-stream";
    }

    /**
     * A whole 2xx answer in the canonical form, with the usage it reports.
     *
     * @param contentType the response's content type, or null
     * @throws NotAnAnswer when the body is not an answer
     */
    TranslatedAnswer answer(Buffer body, String contentType);

    /**
     * Feeds bytes of a streamed answer as they arrive; each complete event goes to {@code events} in the
     * canonical form (the data of one chat completion chunk, or {@code [DONE]}).
     *
     * @throws RuntimeException when the stream is malformed
     */
    void feed(Buffer chunk, Consumer<SseEvent> events);

    /** What the provider said about a failure in a non-2xx body; fields it did not say are null. */
    ProviderError error(int status, Buffer body);
}
