package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * A request on its way to a provider.
 *
 * @param operation what the client asked for (chat, embeddings, moderation)
 * @param target where it goes upstream and how it proves who sends it, as its translator decided
 * @param model the model it goes to
 * @param body the request body, in the upstream's wire format
 * @param stream whether the answer comes as a stream
 * @param accept the media type of the answer asked for: the stream's own, or JSON
 * @param requestId the gateway's id for the request, for logs
 * @param cancellation signalled when the answer is no longer wanted
 * @param headers extra headers for the call, such as the trace context; null for none
 */
public record UpstreamRequest(
        Operation operation, UpstreamTarget target, ModelConfig model, UpstreamBody body, boolean stream, String accept,
        String requestId, Cancellation cancellation, MultiMap headers) {

    public UpstreamRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(cancellation, "cancellation");
    }
}
