package dev.gearbox.admission;

import dev.gearbox.config.Accounting;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.OnBudget;
import dev.gearbox.config.Policy;
import dev.gearbox.config.StateConfig;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingException;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.state.Hold;
import dev.gearbox.state.Limits;
import dev.gearbox.state.Scope;
import dev.gearbox.state.Store;
import dev.gearbox.state.StoreUnavailableException;
import dev.gearbox.state.Verdict;
import dev.gearbox.state.Window;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reserves an admitted request's most possible cost and tokens against every limit of its key and team, in
 * one step of the store, after routing, so the reservation is of what is actually sent upstream: the whole
 * conversation a Responses request continues, at the prices of the dearest model it may reach (the routed
 * model and its fallbacks). A request held to a budget or a tokens-per-minute limit that sets no output
 * limit is sent the gateway's default ({@code state.default_max_output_tokens}), so what is reserved bounds
 * what it can use. {@link Settlement} ends the reservation.
 */
public final class ReservationStage implements Stage {

    /** The reservation of an admitted request, until it is settled. */
    static final Attribute<Hold> HOLD = Attribute.of("admission.hold");
    /** The settle of a priced request, which its answer waits for. */
    static final Attribute<Future<Void>> SETTLED = Attribute.of("admission.settled");

    private final Store store;
    private final RoutingRules rules;
    private final Router router;
    private final Calendar calendar;
    private final Clock clock;
    private final long ttlMs;
    private final int defaultMaxOutputTokens;
    private final Accounting accounting;
    private final Ids ids = new Ids();

    private ReservationStage(Store store, Clock clock, StateConfig state, RoutingRules rules, Router router) {
        this.store = store;
        this.rules = rules;
        this.router = router;
        this.calendar = new Calendar(clock, state.zoneId());
        this.clock = clock;
        this.ttlMs = state.reservationTtlMs();
        this.defaultMaxOutputTokens = state.defaultMaxOutputTokens();
        this.accounting = state.accounting();
    }

    /** @param router routes a request again, to the cheapest model, when its budget is reached under downgrade */
    public static ReservationStage of(Store store, Clock clock, StateConfig state, RoutingRules rules, Router router) {
        return new ReservationStage(store, clock, state, rules, router);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        AdmissionStage.Policies policies = exchange.attribute(AdmissionStage.POLICIES);
        List<Scope> scopes = new ArrayList<>(2);
        if (policies != null) {
            Limits teamLimits = limits(policies.team());
            if (teamLimits != Limits.NONE) {
                scopes.add(Scope.team(teamLimits));
            }
            Limits keyLimits = limits(policies.key());
            if (keyLimits != Limits.NONE) {
                scopes.add(Scope.key(policies.virtualKey().id(), keyLimits));
            }
        }
        Window window = calendar.now();
        Accounting counted = accounting(policies);
        if (scopes.isEmpty()) {
            // Nothing to check: the request is only recorded in the ledger when it settles.
            exchange.attribute(HOLD, new Hold(ids.next(), exchange.tenant(), scopes, 0, 0, window, counted));
            return answer(exchange, next);
        }
        Integer asked = exchange.request().outputLimit();
        if (asked == null && scopes.stream().anyMatch(s -> limitsUse(s.limits()))) {
            exchange.request(exchange.request().withOutputLimit(defaultMaxOutputTokens));
        }
        int limit = asked == null ? defaultMaxOutputTokens : asked;
        CostCeiling.Worst worst = CostCeiling.of(exchange.request(), models(exchange.decision()), limit, asked == null);
        Hold hold = new Hold(ids.next(), exchange.tenant(), scopes, Limits.nanos(worst.usd()), worst.tokens(), window,
                counted);
        return reserve(hold).compose(verdict -> {
            if (verdict instanceof Verdict.Refused refused) {
                Policy refusing = refused.scope().equals("team") ? policies.team() : policies.key();
                if (refused.limit().budget() && refusing.onBudget() == OnBudget.DOWNGRADE) {
                    return downgrade(exchange, next, hold, refused, limit, asked == null);
                }
                return refuse(exchange, refused, worst);
            }
            exchange.attribute(HOLD, hold);
            return answer(exchange, next);
        });
    }

    /**
     * The answer of the stages below, given up once its settle is written (a whole answer), or with its end held
     * until then (a stream: the client's last frame waits): a replica that crashes after its client was answered
     * has counted that answer's spend. A failed call has nothing to wait for.
     */
    private Future<Answer> answer(Exchange exchange, Next next) {
        return next.apply(exchange).compose(answer -> {
            if (answer instanceof AnswerStream stream) {
                stream.endAfter(() -> exchange.attribute(SETTLED));
                return Future.succeededFuture(answer);
            }
            Future<Void> settled = exchange.attribute(SETTLED);
            return settled == null || settled.isComplete() ? Future.succeededFuture(answer)
                    : settled.transform(ar -> Future.succeededFuture(answer));
        });
    }

    /** Exact when the config, the team or the key says so; else in leases, where the store takes them. */
    private Accounting accounting(AdmissionStage.Policies policies) {
        if (accounting == Accounting.EXACT || policies != null && (policies.team().accounting() == Accounting.EXACT
                || policies.key().accounting() == Accounting.EXACT)) {
            return Accounting.EXACT;
        }
        return Accounting.LEASED;
    }

    /**
     * A budget is reached and its policy says downgrade: the request is routed again, to the cheapest model it
     * may use, with a note saying why, and still held to every other limit. Its spend is counted, past the
     * budget.
     */
    private Future<Answer> downgrade(Exchange exchange, Next next, Hold refusedHold, Verdict.Refused refused, int limit,
                                     boolean defaultLimit) {
        Budget budget = exchange.budget().downgraded(Refusals.downgradeNote(refused, exchange.tenant(),
                exchange.caller().keyId()));
        RouteDecision decision = exchange.decision();
        if (exchange.features() != null) {
            try {
                decision = router.route(rules.current(), exchange.features(), budget);
            } catch (RoutingException e) {
                return refuse(exchange, refused, CostCeiling.of(exchange.request(), models(decision), limit, defaultLimit));
            }
        }
        CostCeiling.Worst worst = CostCeiling.of(exchange.request(), models(decision), limit, defaultLimit);
        List<Scope> scopes = new ArrayList<>(refusedHold.scopes().size());
        for (Scope scope : refusedHold.scopes()) {
            Limits l = scope.limits();
            scopes.add(new Scope(scope.name(), new Limits(l.rpm(), l.tpm(), l.maxConcurrent(), -1, -1, -1)));
        }
        // Past its budget a team's requests are few and dear to count wrongly: each is counted exactly.
        Hold hold = new Hold(refusedHold.id(), refusedHold.team(), scopes, Limits.nanos(worst.usd()), worst.tokens(),
                refusedHold.window(), Accounting.EXACT);
        RouteDecision downgraded = decision;
        return reserve(hold).compose(verdict -> {
            if (verdict instanceof Verdict.Refused again) {
                return refuse(exchange, again, worst);
            }
            exchange.attribute(HOLD, hold);
            exchange.admit(exchange.caller(), budget);
            if (downgraded != exchange.decision()) {
                exchange.routed(downgraded, exchange.features());
            }
            return answer(exchange, next);
        });
    }

    private Future<Verdict> reserve(Hold hold) {
        return store.reserve(hold, ttlMs).recover(e -> Future.failedFuture(e instanceof StoreUnavailableException
                ? Refusals.unavailable() : e));
    }

    private Future<Answer> refuse(Exchange exchange, Verdict.Refused refused, CostCeiling.Worst worst) {
        exchange.outcome("limit_" + refused.limit().reason());
        return Future.failedFuture(Refusals.of(refused, worst, exchange.tenant(), exchange.caller().keyId(), clock.millis()));
    }

    /** The models that may answer: the routed one and its fallbacks; without a decision, any of the catalog. */
    private List<ModelConfig> models(RouteDecision decision) {
        if (decision == null) {
            return List.copyOf(rules.current().catalog().models());
        }
        List<ModelConfig> out = new ArrayList<>(1 + decision.fallbacks().size());
        out.add(decision.model());
        out.addAll(decision.fallbacks());
        return out;
    }

    /** Whether the limits hold what a request uses, so its output must be bounded. */
    private static boolean limitsUse(Limits l) {
        return l.tpm() >= 0 || l.dailyNanos() >= 0 || l.monthlyNanos() >= 0 || l.totalNanos() >= 0;
    }

    private static Limits limits(Policy p) {
        if (p.rpm() == null && p.tpm() == null && p.maxConcurrent() == null && p.budgetUsd().daily() == null
                && p.budgetUsd().monthly() == null && p.budgetUsd().total() == null) {
            return Limits.NONE;
        }
        return new Limits(or(p.rpm()), or(p.tpm()), or(p.maxConcurrent()), usd(p.budgetUsd().daily()),
                usd(p.budgetUsd().monthly()), usd(p.budgetUsd().total()));
    }

    private static long or(Integer limit) {
        return limit == null ? -1 : limit;
    }

    private static long usd(Double budget) {
        return budget == null ? -1 : Limits.nanos(budget);
    }

    /** Reservation ids, unique across replicas: a random prefix per process and a counter. */
    private static final class Ids {
        private final String prefix;
        private final AtomicLong next = new AtomicLong();

        Ids() {
            byte[] b = new byte[6];
            new SecureRandom().nextBytes(b);
            prefix = HexFormat.of().formatHex(b) + "-";
        }

        String next() {
            return prefix + next.incrementAndGet();
        }
    }
}
