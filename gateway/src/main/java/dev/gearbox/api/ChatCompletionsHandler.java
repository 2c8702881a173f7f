package dev.gearbox.api;

import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Operation;
import dev.gearbox.providers.Providers;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Serves {@code POST /v1/chat/completions}: routes the request by the rules in force, then relays it. */
public final class ChatCompletionsHandler implements Handler<RoutingContext> {

    static final String ROUTE_HEADER = "x-gearbox-route";
    static final String TIER_HEADER = "x-gearbox-tier";
    static final String ROUTE_NOTE_HEADER = "x-gearbox-route-note";

    private final RoutingRules rules;
    private final Router router;
    private final Providers providers;
    private final TokenCounter tokens;
    private final UpstreamRelay relay;

    public ChatCompletionsHandler(RoutingRules rules, Router router, Providers providers, TokenCounter tokens,
                                  UpstreamErrors errors, LatencyStats latency) {
        this.rules = rules;
        this.router = router;
        this.providers = providers;
        this.tokens = tokens;
        this.relay = new UpstreamRelay(errors, latency);
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestContext ctx = RequestContext.of(rc);
        ChatRequest request = ChatRequest.parse(rc.body().buffer());
        RequestFeatures features = RequestFeatures.of(request.body(), rc.request().headers(), ctx.tenant(),
                ctx.apiKeyName(), tokens);
        RouteDecision decision = route(features, Budgets.of(rc.request().headers()));
        ModelTarget target = providers.target(decision.model());
        ctx.target(request.model() == null ? Router.DEFAULT_ALIAS : request.model(), target.model().id(), target.providerName());
        ctx.routed(decision.route(), decision.tier());
        HttpServerResponse out = rc.response();
        out.putHeader(ROUTE_HEADER, decision.route()).putHeader(TIER_HEADER, decision.tier());
        if (decision.note() != null) {
            out.putHeader(ROUTE_NOTE_HEADER, decision.note());
        }
        UpstreamRequest upstream = new UpstreamRequest(Operation.CHAT_COMPLETIONS, target.model(),
                request.toUpstream(target.model().upstream()), request.stream(), ctx.requestId(),
                UpstreamRelay.cancelOnClose(rc));
        relay.relay(rc, target, upstream, request.clientWantsUsage(), decision.deadlineMs());
    }

    private RouteDecision route(RequestFeatures features, Budget budget) {
        try {
            return router.route(rules.current(), features, budget);
        } catch (RoutingException e) {
            throw Budgets.toApiException(e);
        }
    }
}
