package dev.gearbox.admission;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.OnBudget;
import dev.gearbox.config.Policy;
import dev.gearbox.config.StateConfig;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Caller;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may send the request, within which limits: resolves the caller's key, checks the models its key and
 * team allow, reads the budget headers, and reserves the request's most possible cost against every
 * limit of the key and its team in one step of the store. {@link Settlement} ends the reservation.
 */
public final class AdmissionStage implements Stage {

    /** The reservation of an admitted request, until it is settled. */
    static final Attribute<Hold> HOLD = Attribute.of("admission.hold");

    /**
     * The key id or tenant an operator explains a request as, without its secret; read only by the explain
     * copy of this stage ({@link #withCredentialHeader}), whose caller sets it after checking it
     * ({@link ApiKeys#explainable}).
     */
    public static final Attribute<String> EXPLAIN_AS = Attribute.of("admission.explain_as");

    private final ApiKeys keys;
    private final String credentialHeader;
    private final Store store;
    private final RoutingRules rules;
    private final CostCeiling ceiling;
    private final Calendar calendar;
    private final long ttlMs;
    private final Mode mode;
    private final Ids ids;
    private final StateConfig state;

    private AdmissionStage(ApiKeys keys, String credentialHeader, RoutingRules rules, StateConfig state, Mode mode,
                           Ids ids) {
        this.keys = keys;
        this.credentialHeader = credentialHeader;
        this.store = keys.store();
        this.rules = rules;
        this.ceiling = new CostCeiling(rules, state.defaultMaxOutputTokens());
        this.calendar = new Calendar(keys.clock(), state.zoneId());
        this.ttlMs = state.reservationTtlMs();
        this.mode = mode;
        this.ids = ids;
        this.state = state;
    }

    /** @param credentialHeader the header the exchange's credential came from, named in a refusal */
    public static AdmissionStage of(ApiKeys keys, String credentialHeader, RoutingRules rules, StateConfig state) {
        return new AdmissionStage(keys, credentialHeader, rules, state, Mode.RESERVES, new Ids());
    }

    /**
     * The same admission for a request whose key came from another header, as explained ones do; it checks
     * the key and models but counts and reserves nothing, since an explained request is never sent.
     */
    public AdmissionStage withCredentialHeader(String header) {
        return new AdmissionStage(keys, header, rules, state, Mode.EXPLAINS, ids);
    }

    /**
     * The same admission for a request that calls no model and costs nothing (reading or deleting a stored
     * response): the key must be valid, and nothing is counted against its limits or reserved, so a key
     * whose requests or budget are used up can still read and delete what it already paid for.
     */
    public AdmissionStage checkingOnly() {
        return new AdmissionStage(keys, credentialHeader, rules, state, Mode.CHECKS_ONLY, ids);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        String as = mode == Mode.EXPLAINS ? exchange.attribute(EXPLAIN_AS) : null;
        VirtualKey key = as != null ? keys.named(as) : keys.key(exchange.credential(), credentialHeader);
        Caller caller = key != null ? new Caller(key.team(), key.name(), key.id())
                : as != null ? new Caller(as, null, null) : Caller.ANONYMOUS;
        exchange.admit(caller, Budgets.of(exchange.headers()));
        Team team = key == null ? null : keys.team(key.team());
        Policy keyPolicy = key == null ? Policy.NONE : key.policy();
        Policy teamPolicy = team == null ? Policy.NONE : team.policy();
        checkModel(exchange, keyPolicy, "Key " + (key == null ? "" : key.id()));
        checkModel(exchange, teamPolicy, "Team '" + caller.tenant() + "'");
        if (mode != Mode.RESERVES) {
            return next.apply(exchange);
        }
        List<Scope> scopes = new ArrayList<>(2);
        Limits teamLimits = limits(teamPolicy);
        if (teamLimits != Limits.NONE) {
            scopes.add(Scope.team(teamLimits));
        }
        Limits keyLimits = limits(keyPolicy);
        if (keyLimits != Limits.NONE) {
            scopes.add(Scope.key(key.id(), keyLimits));
        }
        Window window = calendar.now();
        if (scopes.isEmpty()) {
            // Nothing to check: the request is only recorded in the ledger when it settles.
            exchange.attribute(HOLD, new Hold(ids.next(), caller.tenant(), scopes, 0, window));
            return next.apply(exchange);
        }
        Hold hold = new Hold(ids.next(), caller.tenant(), scopes, Limits.nanos(ceiling.usd(exchange.request())), window);
        return store.reserve(hold, ttlMs).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(ar.cause() instanceof StoreUnavailableException
                        ? Refusals.unavailable() : ar.cause());
            }
            if (ar.result() instanceof Verdict.Refused refused) {
                Policy refusing = refused.scope().equals("team") ? teamPolicy : keyPolicy;
                if (refused.limit().budget() && refusing.onBudget() == OnBudget.DOWNGRADE) {
                    return downgrade(exchange, next, hold, refused);
                }
                return refuse(exchange, refused);
            }
            exchange.attribute(HOLD, hold);
            return next.apply(exchange);
        });
    }

    /**
     * A budget is reached and its policy says downgrade: the request is still held to every other limit,
     * and goes to the cheapest model with a note saying why. Its spend is counted, past the budget.
     */
    private Future<Answer> downgrade(Exchange exchange, Next next, Hold refusedHold, Verdict.Refused refused) {
        List<Scope> scopes = new ArrayList<>(refusedHold.scopes().size());
        for (Scope scope : refusedHold.scopes()) {
            Limits l = scope.limits();
            scopes.add(new Scope(scope.name(), new Limits(l.rpm(), l.tpm(), l.maxConcurrent(), -1, -1, -1)));
        }
        Hold hold = new Hold(refusedHold.id(), refusedHold.team(), scopes, refusedHold.estimateNanos(), refusedHold.window());
        return store.reserve(hold, ttlMs).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(ar.cause() instanceof StoreUnavailableException
                        ? Refusals.unavailable() : ar.cause());
            }
            if (ar.result() instanceof Verdict.Refused again) {
                return refuse(exchange, again);
            }
            exchange.attribute(HOLD, hold);
            exchange.admit(exchange.caller(), exchange.budget().downgraded(Refusals.downgradeNote(refused,
                    exchange.tenant(), exchange.caller().keyId())));
            return next.apply(exchange);
        });
    }

    private Future<Answer> refuse(Exchange exchange, Verdict.Refused refused) {
        exchange.outcome("limit_" + refused.limit().reason());
        return Future.failedFuture(Refusals.of(refused, exchange.tenant(), exchange.caller().keyId(), keys.clock().millis()));
    }

    private void checkModel(Exchange exchange, Policy policy, String who) {
        if (policy.models().isEmpty()) {
            return;
        }
        String asked = exchange.requestedModel();
        if (asked == null || policy.models().contains(asked)) {
            return;
        }
        ModelConfig model = rules.current().catalog().find(asked).orElse(null);
        if (model != null && (policy.models().contains(model.id())
                || model.tier() != null && policy.models().contains(model.tier()))) {
            return;
        }
        throw Refusals.modelNotAllowed(asked, who);
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

    /**
     * Whether admission reserves against limits, or only checks the key and its models (stored responses),
     * or checks them for a caller named by its key or by an operator (explain).
     */
    private enum Mode {
        RESERVES, CHECKS_ONLY, EXPLAINS
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
