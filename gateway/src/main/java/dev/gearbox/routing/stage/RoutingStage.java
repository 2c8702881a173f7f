package dev.gearbox.routing.stage;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.InlineStage;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.ChatView;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import java.util.List;

/**
 * Where the request goes: chat requests by the routing rules in force (within the caller's budget),
 * embeddings to the model they name or the default embedding model. The rules themselves are pure; this
 * stage only feeds them the exchange and records their decision.
 */
public final class RoutingStage implements InlineStage {

    private static final String DIRECT = "direct";

    private final RoutingRules rules;
    private final Router router;
    private final TokenCounter tokens;
    private final boolean logPrompts;

    private RoutingStage(RoutingRules rules, Router router, TokenCounter tokens, boolean logPrompts) {
        this.rules = rules;
        this.router = router;
        this.tokens = tokens;
        this.logPrompts = logPrompts;
    }

    /** @param logPrompts whether the access log may keep the last user message */
    public static RoutingStage of(RoutingRules rules, Router router, TokenCounter tokens, boolean logPrompts) {
        return new RoutingStage(rules, router, tokens, logPrompts);
    }

    @Override
    public void enter(Exchange exchange) {
        RoutingTable table = rules.current();
        Request request = exchange.request();
        if (request.operation() == Operation.EMBEDDINGS) {
            exchange.routed(embeddings(table, request), null);
            return;
        }
        if (request.operation() == Operation.MODERATIONS) {
            exchange.routed(moderations(table, request), null);
            return;
        }
        RequestFeatures features = features(exchange);
        exchange.features(features);
        RouteDecision decision;
        try {
            decision = router.route(table, features, exchange.budget());
        } catch (RoutingException e) {
            throw toApiException(e);
        }
        if (logPrompts) {
            exchange.promptText(features.lastUserMessage());
        }
        exchange.routed(decision, features);
    }

    /** What the rules see of a chat request; the explain endpoint reads the same. */
    public RequestFeatures features(Exchange exchange) {
        ChatView view = exchange.request() instanceof ChatRequest chat ? chat.view() : ChatView.of(exchange.request().body());
        return RequestFeatures.of(view, exchange.headers(), exchange.tenant(),
                exchange.caller().keyName(), tokens);
    }

    private static RouteDecision embeddings(RoutingTable table, Request request) {
        Catalog catalog = table.catalog();
        String name = request.model() != null ? request.model() : catalog.defaultEmbeddingModel()
                .orElseThrow(() -> ApiException.invalidRequest("model", "Missing required parameter: 'model'."));
        ModelConfig model = servable(catalog, name);
        if (model.kind() != ModelKind.EMBEDDINGS) {
            throw ApiException.invalidRequest("model", "The model '" + name
                    + "' is a chat model and cannot create embeddings; use an embeddings model.");
        }
        // Embeddings are deterministic: the same input gives the same vectors.
        return new RouteDecision(DIRECT, model, List.of(), 0, null, CacheMode.ALWAYS, null, table.version());
    }

    /** To the model named, or to the catalog's default moderation model. */
    private static RouteDecision moderations(RoutingTable table, Request request) {
        Catalog catalog = table.catalog();
        String asked = request.model() != null ? request.model() : catalog.defaultModerationModel()
                .orElseThrow(() -> ApiException.invalidRequest("model", "No moderation model is configured on this gateway: "
                        + "configure the provider of one in the catalog, or set default_moderation_model."));
        ModelConfig model = servable(catalog, asked);
        if (model.kind() != ModelKind.MODERATION) {
            throw ApiException.invalidRequest("model", "The model '" + asked + "' is not a moderation model.");
        }
        // The same input is classified the same way.
        return new RouteDecision(DIRECT, model, List.of(), 0, null, CacheMode.ALWAYS, null, table.version());
    }

    private static ModelConfig servable(Catalog catalog, String name) {
        try {
            return catalog.servable(name);
        } catch (RoutingException e) {
            throw toApiException(e);
        }
    }

    /** The error a client sees when routing finds nowhere to go. */
    public static ApiException toApiException(RoutingException e) {
        return switch (e.kind()) {
            case UNKNOWN_MODEL -> new ApiException(404, "invalid_request_error", "model_not_found", "model", e.getMessage());
            case WRONG_MODEL -> ApiException.invalidRequest("model", e.getMessage());
            case OVER_BUDGET -> new ApiException(400, "invalid_request_error", "over_budget", null, e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "server_error", "no_model_available", null, e.getMessage());
            case CONTEXT_LENGTH_EXCEEDED -> new ApiException(400, "invalid_request_error", "context_length_exceeded",
                    "messages", e.getMessage());
            case NOT_ALLOWED -> new ApiException(403, "invalid_request_error", "model_not_allowed", "model", e.getMessage());
        };
    }
}
