package dev.gearbox.admission;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.Policy;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Caller;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.InlineStage;
import dev.gearbox.routing.AllowedModels;
import dev.gearbox.routing.RoutingRules;

/**
 * Who may send the request: resolves the caller's key, checks that its key and team may ask for the model
 * it names, records the models they allow it to be served by (which routing keeps to) and reads the budget
 * headers. It counts and reserves nothing: {@link ReservationStage} does, once the request is known as it
 * goes upstream and routed.
 */
public final class AdmissionStage implements InlineStage {

    /** The key's and team's policies of an admitted request, for the reservation after routing. */
    static final Attribute<Policies> POLICIES = Attribute.of("admission.policies");

    /**
     * The key id or tenant an operator explains a request as, without its secret; read only by the explain
     * copy of this stage ({@link #withCredentialHeader}), whose caller sets it after checking it
     * ({@link ApiKeys#explainable}).
     */
    public static final Attribute<String> EXPLAIN_AS = Attribute.of("admission.explain_as");

    private final ApiKeys keys;
    private final String credentialHeader;
    private final RoutingRules rules;
    private final Identity identity;

    private AdmissionStage(ApiKeys keys, String credentialHeader, RoutingRules rules, Identity identity) {
        this.keys = keys;
        this.credentialHeader = credentialHeader;
        this.rules = rules;
        this.identity = identity;
    }

    /** @param credentialHeader the header the exchange's credential came from, named in a refusal */
    public static AdmissionStage of(ApiKeys keys, String credentialHeader, RoutingRules rules) {
        return new AdmissionStage(keys, credentialHeader, rules, Identity.PRESENTED);
    }

    /**
     * The same admission for a request whose key came from another header, as explained ones do, or whose
     * caller an operator names ({@link #EXPLAIN_AS}).
     */
    public AdmissionStage withCredentialHeader(String header) {
        return new AdmissionStage(keys, header, rules, Identity.PRESENTED_OR_NAMED);
    }

    /** Where the caller comes from: the key it presents, or, for explain, a key id or tenant an operator names. */
    private enum Identity {
        PRESENTED, PRESENTED_OR_NAMED
    }

    @Override
    public void enter(Exchange exchange) {
        String as = identity == Identity.PRESENTED_OR_NAMED ? exchange.attribute(EXPLAIN_AS) : null;
        VirtualKey key = as != null ? keys.named(as) : keys.key(exchange.credential(), credentialHeader);
        Caller caller = key != null ? new Caller(key.team(), key.name(), key.id())
                : as != null ? new Caller(as, null, null) : Caller.ANONYMOUS;
        Team team = key == null ? null : keys.team(key.team());
        Policies policies = new Policies(key, key == null ? Policy.NONE : key.policy(),
                team == null ? Policy.NONE : team.policy());
        AllowedModels allowed = AllowedModels.of("team '" + caller.tenant() + "'", policies.team().models())
                .and("key " + (key == null ? "" : key.id()), policies.key().models());
        exchange.admit(caller, Budgets.of(exchange.headers()).allowing(allowed));
        checkModel(exchange, policies.key(), "Key " + (key == null ? "" : key.id()));
        checkModel(exchange, policies.team(), "Team '" + caller.tenant() + "'");
        exchange.attribute(POLICIES, policies);
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

    /**
     * What an admitted caller is held to.
     *
     * @param virtualKey its key, or null on a gateway without keys
     * @param key its key's policy
     * @param team its team's policy
     */
    record Policies(VirtualKey virtualKey, Policy key, Policy team) {
    }
}
