package dev.gearbox.api;

import dev.gearbox.config.ModelKind;
import dev.gearbox.providers.ModelCatalog;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Operation;
import dev.gearbox.providers.UpstreamRequest;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code POST /v1/embeddings}, forwarding to the named or the default embedding model. */
public final class EmbeddingsHandler implements Handler<RoutingContext> {

    private final ModelCatalog catalog;
    private final UpstreamRelay relay;

    public EmbeddingsHandler(ModelCatalog catalog, UpstreamErrors errors) {
        this.catalog = catalog;
        this.relay = new UpstreamRelay(errors);
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestContext ctx = RequestContext.of(rc);
        JsonObject body = ChatRequest.parseObject(rc.body().buffer());
        Object model = body.getValue("model");
        if (model != null && !(model instanceof String)) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (body.getValue("input") == null) {
            throw ApiException.invalidRequest("input", "Missing required parameter: 'input'.");
        }
        String name = model != null ? (String) model : catalog.defaultEmbeddingModel()
                .orElseThrow(() -> ApiException.invalidRequest("model", "Missing required parameter: 'model'."));
        ModelTarget target = catalog.resolve(name).orElseThrow(() -> ApiException.modelNotFound(name));
        if (target.model().kind() != ModelKind.EMBEDDINGS) {
            throw ApiException.invalidRequest("model", "The model '" + name
                    + "' is a chat model and cannot create embeddings; use an embeddings model.");
        }
        ctx.target(name, target.model().id(), target.providerName());
        body.put("model", target.model().upstream());
        UpstreamRequest upstream = new UpstreamRequest(Operation.EMBEDDINGS, target.model(), body, false,
                ctx.requestId(), UpstreamRelay.cancelOnClose(rc));
        relay.relay(rc, target, upstream, false);
    }
}
