package dev.gearbox.http;

import dev.gearbox.inbound.InboundApi;
import dev.gearbox.wire.ApiException;
import dev.gearbox.work.Offload;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Serves a token count the gateway works out itself, outside the pipeline: no provider is called and
 * nothing is priced. Counting grows with the body, so a large one is counted off the event loop.
 */
public final class CountTokensHandler implements Handler<RoutingContext> {

    private final Function<Buffer, Buffer> count;
    private final InboundApi api;
    private final Offload offload;

    private CountTokensHandler(Function<Buffer, Buffer> count, InboundApi api, Offload offload) {
        this.count = count;
        this.api = api;
        this.offload = offload;
    }

    /**
     * @param count the JSON answer for a request body; throws {@link ApiException} when the body is unusable
     * @param api the API whose error shape a refused body is answered in
     */
    public static CountTokensHandler create(Function<Buffer, Buffer> count, InboundApi api, Offload offload) {
        return new CountTokensHandler(count, api, offload);
    }

    @Override
    public void handle(RoutingContext rc) {
        Buffer body = rc.body().buffer();
        offload.forSize(body == null ? 0 : body.length(), () -> count.apply(body)).onComplete(counted -> {
            if (rc.response().closed()) {
                return;
            }
            if (counted.succeeded()) {
                rc.response().putHeader("content-type", "application/json").end(counted.result());
            } else if (counted.cause() instanceof ApiException e) {
                api.renderError(e, rc.response());
            } else {
                rc.fail(counted.cause());
            }
        });
    }
}
