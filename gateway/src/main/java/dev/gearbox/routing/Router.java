package dev.gearbox.routing;

import dev.gearbox.config.Capability;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.cost.CostEstimator;
import dev.gearbox.cost.Dollars;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses the model for a chat request by the routing rules, within its cost and latency budgets.
 *
 * <p>Routes are tried in order and the first that applies wins. A route that names no model applies
 * only to aliases such as {@code auto}: a request for a concrete model goes to that model unless a route
 * whose {@code when} tests the model claims it. The route's candidates are then narrowed to models that
 * can serve the request (tools, JSON mode, images, context window) and fit its budgets, and ordered by
 * the route's strategy. Pure computation: no I/O, no regex compiled.
 */
public final class Router {

    /** The alias a request that names no model asks for. */
    public static final String DEFAULT_ALIAS = "auto";
    private static final String DIRECT = "direct";

    private final LatencyStats latency;
    private final RandomGenerator random;

    public Router(LatencyStats latency, RandomGenerator random) {
        this.latency = latency;
        this.random = random;
    }

    /** Chooses where a request goes; throws {@link RoutingException} when it cannot go anywhere. */
    public RouteDecision route(RoutingTable table, RequestFeatures request, Budget budget) {
        return decide(table, request, budget, null);
    }

    /** The same choice as {@link #route}, with the reasons for it, for {@code /admin/routes/explain}. */
    public JsonObject explain(RoutingTable table, RequestFeatures request, Budget budget) {
        RouteTrace trace = new RouteTrace();
        request.explaining();
        JsonObject out = new JsonObject().put("rules_version", table.version());
        try {
            RouteDecision d = decide(table, request, budget, trace);
            out.put("requested_model", request.model() == null ? DEFAULT_ALIAS : request.model())
                    .put("route", d.route()).put("tier", d.tier()).put("model", d.model().id())
                    .put("provider", d.model().provider())
                    .put("fallbacks", new JsonArray(d.fallbacks().stream().map(ModelConfig::id).toList()))
                    .put("estimated_cost_usd", d.estimatedCostUsd())
                    .put("deadline_ms", d.deadlineMs()).put("cache", d.cache().wireName()).put("note", d.note())
                    .put("effort", trace.effort).put("effort_from", trace.effortFrom);
        } catch (RoutingException e) {
            out.put("requested_model", request.model()).put("error", new JsonObject()
                    .put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT)).put("message", e.getMessage()));
        }
        return out.put("prompt_tokens", request.promptTokens())
                .put("difficulty", request.difficulty(table.weights().model()))
                .put("difficulty_reasons", ScoreReasons.json(request, table))
                .put("budget", new JsonObject().put("max_cost_usd", trace.maxCost).put("latency_budget_ms", trace.maxLatency))
                .put("rules", trace.rules).put("candidates", trace.candidates);
    }

    private RouteDecision decide(RoutingTable table, RequestFeatures request, Budget budget, RouteTrace trace) {
        Catalog catalog = table.catalog();
        String asked = request.model() == null ? DEFAULT_ALIAS : request.model();
        String name = catalog.resolveStaticAlias(asked);
        ModelConfig concrete = catalog.find(asked).orElse(null);
        if (concrete == null && !catalog.routeAliases().contains(name)) {
            throw new RoutingException(RoutingException.Kind.UNKNOWN_MODEL, asked,
                    "The model '" + asked + "' does not exist or you do not have access to it.");
        }
        if (concrete != null && concrete.kind() != ModelKind.CHAT) {
            throw new RoutingException(RoutingException.Kind.WRONG_MODEL, asked, "The model '" + asked
                    + "' is an embeddings model and cannot serve chat completions; use /v1/embeddings.");
        }
        Rule rule = matchingRule(table, request, concrete != null, trace);
        RouteAction action = rule == null ? null : rule.then();
        List<ModelConfig> candidates;
        if (rule == null) {
            if (!catalog.available(concrete)) {
                throw Catalog.notConfigured(asked, concrete);
            }
            candidates = new ArrayList<>(List.of(concrete));
        } else {
            candidates = candidates(action, catalog, trace);
        }
        String route = rule == null ? DIRECT : rule.name();
        if (candidates.isEmpty()) {
            // The compiler guarantees a route has an available model, counting its fallbacks.
            for (String id : action.fallbacks()) {
                catalog.model(id).filter(catalog::available).ifPresent(candidates::add);
            }
            if (candidates.isEmpty()) {
                throw new RoutingException(RoutingException.Kind.UNAVAILABLE, asked,
                        "No model of route '" + route + "' has a configured provider.");
            }
        }

        AllowedModels allowed = budget.models();
        Integer limit = request.maxTokens();
        String note = null;
        if (allowed.limits(catalog)) {
            List<ModelConfig> disallowed = List.copyOf(candidates);
            candidates = keep(candidates, m -> {
                String refusedBy = allowed.refusedBy(m, catalog);
                return refusedBy == null ? null : "not allowed: " + refusedBy;
            }, trace);
            if (candidates.isEmpty()) {
                // The caller asked for something it may ask for, and the rules chose only what it may not use.
                ModelConfig nearest = cheapestOverall(catalog, request, request.approxPromptTokens(), limit, allowed);
                if (nearest == null) {
                    throw new RoutingException(RoutingException.Kind.NOT_ALLOWED, asked, "No model this gateway serves is"
                            + " allowed to the caller: " + allowed.refusedBy(disallowed.get(0), catalog) + ".");
                }
                candidates.add(nearest);
                note = "route '" + route + "' chose models the caller may not use (" + allowed.refusedBy(disallowed.get(0),
                        catalog) + "); sent to the cheapest model it may use, " + nearest.id();
                if (trace != null) {
                    trace.candidate(nearest, 0, 0, "candidate", "the cheapest model of the catalog the caller may use");
                }
            }
        }
        // A request no candidate's context window holds is refused, as OpenAI refuses it, and never sent;
        // capabilities only narrow the choice, leaving upstream to answer when none has them.
        List<ModelConfig> holding = keep(candidates, m -> ContextWindow.tooLong(m, request), trace);
        if (holding.isEmpty()) {
            throw ContextWindow.exceeded(candidates, request, asked);
        }
        List<ModelConfig> capable = keep(holding, m -> missing(m, request), trace);
        candidates = capable.isEmpty() ? holding : capable;
        if (budget.downgrade() != null) {
            // A spent budget whose policy is downgrade: the cheapest model, whatever the route would choose.
            int prompt = request.approxPromptTokens();
            ModelConfig cheapest = cheapestOverall(catalog, request, prompt, limit, allowed);
            if (trace != null) {
                trace.mark(cheapest, List.of());
            }
            return new RouteDecision(route, cheapest, List.of(), CostEstimator.estimate(cheapest, prompt, limit),
                    action == null ? null : action.timeoutMs(), action == null ? CacheMode.DETERMINISTIC : action.cache(),
                    budget.downgrade(), table.version());
        }
        Effort effort = action == null || action.effort() == null ? null
                : action.effort().decide(request.reasoningEffort(), () -> request.difficulty(table.weights().model()));
        Effort priced = effort != null ? effort : Effort.ofWire(request.reasoningEffort());
        double share = priced == null ? 1 : priced.reasoningShare();
        if (trace != null) {
            trace.effort = effort != null ? effort.wireName() : priced == null ? null : priced.wireName();
            trace.effortFrom = effort != null ? "route" : priced == null ? null : "client";
        }
        Double maxCost = Budget.min(action == null ? null : action.maxCostUsd(), budget.maxCostUsd());
        Long maxLatency = Budget.min(action == null ? null : action.latencyBudgetMs(), budget.latencyBudgetMs());
        if (trace != null) {
            trace.maxCost = maxCost;
            trace.maxLatency = maxLatency;
        }
        // A budget or an explanation needs the tokenizer's count; ordering candidates by cost does not.
        int prompt = maxCost != null || trace != null ? request.promptTokens() : request.approxPromptTokens();
        List<ModelConfig> within = new ArrayList<>(candidates.size());
        for (ModelConfig m : candidates) {
            double cost = CostEstimator.estimate(m, prompt, limit, share);
            double expected = expectedLatency(m, request.stream());
            String dropped = maxCost != null && cost > maxCost ? "estimated " + Dollars.format(cost) + " > budget " + Dollars.format(maxCost)
                    : maxLatency != null && expected > maxLatency ? String.format("expected %.0f ms > budget %d ms", expected, maxLatency)
                    : null;
            if (dropped == null) {
                within.add(m);
            }
            if (trace != null) {
                trace.candidate(m, cost, expected, dropped == null ? "candidate" : "dropped", dropped);
            }
        }
        if (within.isEmpty()) {
            String over = overBudget(candidates, route, prompt, limit, request.stream(), maxCost, maxLatency);
            OverBudget policy = action == null ? OverBudget.CHEAPEST : action.onOverBudget();
            if (policy == OverBudget.REJECT) {
                throw new RoutingException(RoutingException.Kind.OVER_BUDGET, asked, "Request refused: " + over + ".");
            }
            ModelConfig fallback = cheapestOverall(catalog, request, prompt, limit, allowed);
            within.add(fallback);
            note = over + "; sent to the cheapest model, " + fallback.id();
            if (trace != null) {
                trace.candidate(fallback, CostEstimator.estimate(fallback, prompt, limit), expectedLatency(fallback, request.stream()),
                        "candidate", "cheapest model of the catalog, as the route falls back when over budget");
            }
        }
        order(within, action, prompt, limit, request.stream());
        ModelConfig chosen = within.get(0);
        Fallbacks fallbacks = Fallbacks.of(chosen, within.subList(1, within.size()), action, catalog, allowed, maxCost,
                m -> CostEstimator.estimate(m, prompt, limit, share), request, trace);
        Long deadline = Budget.min(action == null ? null : action.timeoutMs(), maxLatency);
        if (trace != null) {
            trace.mark(chosen, fallbacks.models);
        }
        return new RouteDecision(route, chosen, fallbacks.models, CostEstimator.estimate(chosen, prompt, limit, share),
                deadline, action == null ? CacheMode.DETERMINISTIC : action.cache(), note, table.version(), fallbacks.costs,
                effort);
    }

    /** Why no candidate fits: the cheapest one's cost when that is over the cost budget, else the fastest one's latency. */
    private String overBudget(List<ModelConfig> candidates, String route, int prompt, Integer limit, boolean stream,
                              Double maxCost, Long maxLatency) {
        ModelConfig cheapest = candidates.stream()
                .min(Comparator.comparingDouble(m -> CostEstimator.estimate(m, prompt, limit))).orElseThrow();
        double cost = CostEstimator.estimate(cheapest, prompt, limit);
        if (maxCost != null && cost > maxCost) {
            return "estimated cost " + Dollars.format(cost) + " on " + cheapest.id() + ", the cheapest candidate of route '"
                    + route + "', is over the budget of " + Dollars.format(maxCost);
        }
        ModelConfig fastest = candidates.stream().min(Comparator.comparingDouble(m -> expectedLatency(m, stream))).orElseThrow();
        return String.format("expected latency %.0f ms of %s, the fastest candidate of route '%s', is over the budget of %d ms",
                expectedLatency(fastest, stream), fastest.id(), route, maxLatency);
    }

    private static Rule matchingRule(RoutingTable table, RequestFeatures request, boolean concrete, RouteTrace trace) {
        if (trace == null) {
            return table.index().first(request, concrete);
        }
        // An explanation tells why every route before the match did not apply, so it tries each one.
        for (Rule rule : table.rules()) {
            if (concrete && !rule.mentionsModel()) {
                if (trace != null) {
                    trace.rule(rule, false, "skipped: the request names a concrete model and this route does not test 'model'");
                }
                continue;
            }
            if (rule.always() || rule.when().test(request)) {
                if (trace != null) {
                    trace.rule(rule, true, rule.always() ? "default route: always applies" : "matched: " + rule.when().describe());
                }
                return rule;
            }
            if (trace != null) {
                trace.rule(rule, false, rule.when().whyNot(request));
            }
        }
        return null;
    }

    private static List<ModelConfig> candidates(RouteAction action, Catalog catalog, RouteTrace trace) {
        if (action.tier() != null) {
            return new ArrayList<>(catalog.tier(action.tier()));
        }
        List<ModelConfig> out = new ArrayList<>(action.models().size());
        for (String id : action.models()) {
            ModelConfig m = catalog.model(id).orElse(null);
            if (m != null && catalog.available(m)) {
                out.add(m);
            } else if (m != null && trace != null) {
                trace.candidate(m, 0, 0, "dropped", "provider '" + m.provider() + "' is not configured");
            }
        }
        return out;
    }

    /** The candidates {@code whyNot} finds no fault with; each one it drops is listed in an explanation. */
    private static List<ModelConfig> keep(List<ModelConfig> candidates, java.util.function.Function<ModelConfig, String> whyNot,
                                          RouteTrace trace) {
        List<ModelConfig> out = new ArrayList<>(candidates.size());
        for (ModelConfig m : candidates) {
            String dropped = whyNot.apply(m);
            if (dropped == null) {
                out.add(m);
            } else if (trace != null) {
                trace.candidate(m, 0, 0, "dropped", dropped);
            }
        }
        return out;
    }

    /** Why a model may not serve the request well (tools, JSON mode, images); null when it can. */
    static String missing(ModelConfig m, RequestFeatures request) {
        if (request.hasTools() && !m.can(Capability.TOOLS)) {
            return "does not support tools";
        }
        if (request.hasResponseFormat() && !m.can(Capability.JSON_MODE)) {
            return "does not support JSON mode";
        }
        if (request.hasImages() && !m.can(Capability.VISION)) {
            return "does not support images";
        }
        return null;
    }

    /** The cheapest model the caller may use, one that can serve the request first; null when it may use none. */
    private static ModelConfig cheapestOverall(Catalog catalog, RequestFeatures request, int prompt, Integer limit,
                                               AllowedModels allowed) {
        ModelConfig best = null;
        double bestCost = Double.MAX_VALUE;
        boolean bestCapable = false;
        for (ModelConfig m : catalog.models()) {
            if (m.kind() != ModelKind.CHAT || !catalog.available(m) || !allowed.permits(m, catalog)
                    || ContextWindow.tooLong(m, request) != null) {
                continue;
            }
            boolean capable = missing(m, request) == null;
            double cost = CostEstimator.estimate(m, prompt, limit);
            if (best == null || (capable && !bestCapable) || (capable == bestCapable && cost < bestCost)) {
                best = m;
                bestCost = cost;
                bestCapable = capable;
            }
        }
        return best;
    }

    private void order(List<ModelConfig> models, RouteAction action, int prompt, Integer limit, boolean stream) {
        Strategy strategy = action == null ? Strategy.ORDERED : action.strategy();
        switch (strategy) {
            case ORDERED -> { }
            case CHEAPEST -> models.sort(Comparator.comparingDouble(m -> CostEstimator.estimate(m, prompt, limit)));
            case FASTEST -> models.sort(Comparator.comparingDouble(m -> expectedLatency(m, stream)));
            case WEIGHTED -> {
                double total = 0;
                for (ModelConfig m : models) {
                    total += action.weights().getOrDefault(m.id(), 0.0);
                }
                if (total > 0) {
                    double pick = random.nextDouble() * total;
                    for (int i = 0; i < models.size(); i++) {
                        pick -= action.weights().getOrDefault(models.get(i).id(), 0.0);
                        if (pick < 0) {
                            models.add(0, models.remove(i));
                            break;
                        }
                    }
                }
            }
        }
    }

    private double expectedLatency(ModelConfig m, boolean stream) {
        return stream ? latency.expectedFirstTokenMs(m) : latency.expectedTotalMs(m);
    }
}
