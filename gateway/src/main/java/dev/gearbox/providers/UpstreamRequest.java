package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.MultiMap;
import java.util.Objects;

/**
 * A request on its way to a provider.
 *
 * @param operation which API it calls
 * @param model the model it goes to
 * @param body the request body, with {@code model} already set to the upstream name
 * @param stream whether the answer comes as server-sent events
 * @param requestId the gateway's id for the request, for logs
 * @param cancellation signalled when the answer is no longer wanted
 * @param headers extra headers for the call, such as the trace context; null for none
 */
public record UpstreamRequest(
        Operation operation, ModelConfig model, UpstreamBody body, boolean stream, String requestId,
        Cancellation cancellation, MultiMap headers) {

    public UpstreamRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    /** A request without extra headers. */
    public UpstreamRequest(Operation operation, ModelConfig model, UpstreamBody body, boolean stream, String requestId,
                           Cancellation cancellation) {
        this(operation, model, body, stream, requestId, cancellation, null);
    }
}
