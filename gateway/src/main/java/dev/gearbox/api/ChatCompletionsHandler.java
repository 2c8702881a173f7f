package dev.gearbox.api;

import dev.gearbox.config.ModelKind;
import dev.gearbox.providers.ModelCatalog;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Operation;
import dev.gearbox.providers.UpstreamRequest;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code POST /v1/chat/completions}, streaming or not. */
public final class ChatCompletionsHandler implements Handler<RoutingContext> {

    /** The alias used when a request names no model. */
    static final String DEFAULT_MODEL = "auto";

    private final ModelCatalog catalog;
    private final UpstreamRelay relay;

    public ChatCompletionsHandler(ModelCatalog catalog, UpstreamErrors errors) {
        this.catalog = catalog;
        this.relay = new UpstreamRelay(errors);
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestContext ctx = RequestContext.of(rc);
        ChatRequest request = ChatRequest.parse(rc.body().buffer());
        String name = request.model() == null ? DEFAULT_MODEL : request.model();
        ModelTarget target = catalog.resolve(name).orElseThrow(() -> ApiException.modelNotFound(name));
        if (target.model().kind() != ModelKind.CHAT) {
            throw ApiException.invalidRequest("model", "The model '" + name
                    + "' is an embeddings model and cannot serve chat completions; use /v1/embeddings.");
        }
        ctx.target(name, target.model().id(), target.providerName());
        UpstreamRequest upstream = new UpstreamRequest(Operation.CHAT_COMPLETIONS, target.model(),
                request.toUpstream(target.model().upstream()), request.stream(), ctx.requestId(),
                UpstreamRelay.cancelOnClose(rc));
        relay.relay(rc, target, upstream, request.clientWantsUsage());
    }
}
