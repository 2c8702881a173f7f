package dev.gearbox.admission;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.Policy;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Caller;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import dev.gearbox.routing.AllowedModels;
import dev.gearbox.routing.RoutingRules;
import io.vertx.core.Future;

/**
 * Who may send the request: resolves the caller's key, checks that its key and team may ask for the model
 * it names, records the models they allow it to be served by (which routing keeps to) and reads the budget
 * headers. It counts and reserves nothing: {@link ReservationStage} does, once the request is known as it
 * goes upstream and routed.
 */
public final class AdmissionStage implements Stage {

    /** The key's and team's policies of an admitted request, for the reservation after routing. */
    static final Attribute<Policies> POLICIES = Attribute.of("admission.policies");

    private final ApiKeys keys;
    private final String credentialHeader;
    private final RoutingRules rules;

    private AdmissionStage(ApiKeys keys, String credentialHeader, RoutingRules rules) {
        this.keys = keys;
        this.credentialHeader = credentialHeader;
        this.rules = rules;
    }

    /** @param credentialHeader the header the exchange's credential came from, named in a refusal */
    public static AdmissionStage of(ApiKeys keys, String credentialHeader, RoutingRules rules) {
        return new AdmissionStage(keys, credentialHeader, rules);
    }

    /** The same admission for a request whose key came from another header, as explained ones do. */
    public AdmissionStage withCredentialHeader(String header) {
        return new AdmissionStage(keys, header, rules);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        VirtualKey key = keys.key(exchange.credential(), credentialHeader);
        Caller caller = key == null ? Caller.ANONYMOUS : new Caller(key.team(), key.name(), key.id());
        Team team = key == null ? null : keys.team(key.team());
        Policies policies = new Policies(key, key == null ? Policy.NONE : key.policy(),
                team == null ? Policy.NONE : team.policy());
        AllowedModels allowed = AllowedModels.of("team '" + caller.tenant() + "'", policies.team().models())
                .and("key " + (key == null ? "" : key.id()), policies.key().models());
        exchange.admit(caller, Budgets.of(exchange.headers()).allowing(allowed));
        checkModel(exchange, policies.key(), "Key " + (key == null ? "" : key.id()));
        checkModel(exchange, policies.team(), "Team '" + caller.tenant() + "'");
        exchange.attribute(POLICIES, policies);
        return next.apply(exchange);
    }

    private void checkModel(Exchange exchange, Policy policy, String who) {
        if (policy.models().isEmpty()) {
            return;
        }
        String asked = exchange.requestedModel();
        if (asked == null || policy.models().contains(asked)) {
            return;
        }
        ModelConfig model = rules.current().catalog().model(asked).orElse(null);
        if (model != null && model.tier() != null && policy.models().contains(model.tier())) {
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
