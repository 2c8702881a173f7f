package dev.gearbox.api;

import dev.gearbox.cache.ResponseCache;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.CostCalculator;
import dev.gearbox.providers.Operation;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Serves {@code POST /v1/chat/completions}: routes the request by the rules in force, then relays it. */
public final class ChatCompletionsHandler implements Handler<RoutingContext> {

    static final String ROUTE_HEADER = "x-gearbox-route";
    static final String TIER_HEADER = "x-gearbox-tier";
    static final String ROUTE_NOTE_HEADER = "x-gearbox-route-note";

    private final RoutingRules rules;
    private final Router router;
    private final TokenCounter tokens;
    private final UpstreamServices services;
    private final String baselineModel;
    private final boolean logPrompts;
    private final CacheGate cache;

    /**
     * @param baselineModel the model savings are counted against, or null for the flagship reasoning model
     * @param logPrompts whether the access log may keep the last user message
     * @param cache the response cache
     */
    public ChatCompletionsHandler(RoutingRules rules, Router router, TokenCounter tokens, UpstreamServices services,
                                  String baselineModel, boolean logPrompts, ResponseCache cache) {
        this.rules = rules;
        this.router = router;
        this.tokens = tokens;
        this.services = services;
        this.baselineModel = baselineModel;
        this.logPrompts = logPrompts;
        this.cache = new CacheGate(cache);
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestContext ctx = RequestContext.of(rc);
        ChatRequest request = ChatRequest.parse(rc.body().buffer());
        RequestFeatures features = RequestFeatures.of(request.body(), rc.request().headers(), ctx.tenant(),
                ctx.apiKeyName(), tokens);
        RoutingTable table = rules.current();
        RouteDecision decision = route(table, features, Budgets.of(rc.request().headers()));
        ctx.promptTokens(features::promptTokens);
        if (logPrompts) {
            ctx.promptText(features.lastUserMessage());
        }
        ctx.target(request.model() == null ? Router.DEFAULT_ALIAS : request.model(), decision.model().id(),
                decision.model().provider());
        ctx.routed(decision.route(), decision.tier());
        HttpServerResponse out = rc.response();
        out.putHeader(ROUTE_HEADER, decision.route()).putHeader(TIER_HEADER, decision.tier());
        if (decision.note() != null) {
            out.putHeader(ROUTE_NOTE_HEADER, decision.note());
        }
        List<ModelConfig> candidates = new ArrayList<>(1 + decision.fallbacks().size());
        candidates.add(decision.model());
        candidates.addAll(decision.fallbacks());
        ModelConfig baseline = CostCalculator.baseline(table.catalog(), baselineModel).orElse(null);
        cache.handle(rc, request, decision, baseline, sink -> new UpstreamExchange(rc, services, Operation.CHAT_COMPLETIONS,
                candidates, m -> request.toUpstream(m.upstream()), request.stream(), request.clientWantsUsage(),
                decision.deadlineMs(), baseline, sink).start());
    }

    private RouteDecision route(RoutingTable table, RequestFeatures features, Budget budget) {
        try {
            return router.route(table, features, budget);
        } catch (RoutingException e) {
            throw Budgets.toApiException(e);
        }
    }
}
