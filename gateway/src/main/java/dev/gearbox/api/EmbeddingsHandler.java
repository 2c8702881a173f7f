package dev.gearbox.api;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.providers.Operation;
import dev.gearbox.providers.UpstreamBody;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RoutingRules;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Serves {@code POST /v1/embeddings}, forwarding to the named or the default embedding model. */
public final class EmbeddingsHandler implements Handler<RoutingContext> {

    private final RoutingRules rules;
    private final UpstreamServices services;

    public EmbeddingsHandler(RoutingRules rules, UpstreamServices services) {
        this.rules = rules;
        this.services = services;
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
        Catalog catalog = rules.current().catalog();
        String name = model != null ? (String) model : catalog.defaultEmbeddingModel()
                .orElseThrow(() -> ApiException.invalidRequest("model", "Missing required parameter: 'model'."));
        ModelConfig config = catalog.model(catalog.resolveStaticAlias(name))
                .filter(catalog::available).orElseThrow(() -> ApiException.modelNotFound(name));
        if (config.kind() != ModelKind.EMBEDDINGS) {
            throw ApiException.invalidRequest("model", "The model '" + name
                    + "' is a chat model and cannot create embeddings; use an embeddings model.");
        }
        ctx.target(name, config.id(), config.provider());
        new UpstreamExchange(rc, services, Operation.EMBEDDINGS, List.of(config),
                m -> UpstreamBody.of(body.copy().put("model", m.upstream())), false, false, null, null, null).start();
    }
}
