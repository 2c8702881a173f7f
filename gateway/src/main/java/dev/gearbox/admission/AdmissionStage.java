package dev.gearbox.admission;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import io.vertx.core.Future;

/** Who may send the request, within which budget: resolves the caller's key and reads the budget headers. */
public final class AdmissionStage implements Stage {

    private final ApiKeys keys;
    private final String credentialHeader;

    private AdmissionStage(ApiKeys keys, String credentialHeader) {
        this.keys = keys;
        this.credentialHeader = credentialHeader;
    }

    /** @param credentialHeader the header the exchange's credential came from, named in a refusal */
    public static AdmissionStage of(ApiKeys keys, String credentialHeader) {
        return new AdmissionStage(keys, credentialHeader);
    }

    /** The same admission for a request whose key came from another header, as explained ones do. */
    public AdmissionStage withCredentialHeader(String header) {
        return new AdmissionStage(keys, header);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        exchange.admit(keys.resolve(exchange.credential(), credentialHeader), Budgets.of(exchange.headers()));
        return next.apply(exchange);
    }
}
