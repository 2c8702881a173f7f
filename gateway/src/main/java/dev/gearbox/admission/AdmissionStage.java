package dev.gearbox.admission;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import io.vertx.core.Future;

/** Who may send the request, within which budget: resolves the caller's key and reads the budget headers. */
public final class AdmissionStage implements Stage {

    private final ApiKeys keys;

    private AdmissionStage(ApiKeys keys) {
        this.keys = keys;
    }

    public static AdmissionStage of(ApiKeys keys) {
        return new AdmissionStage(keys);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        exchange.admit(keys.resolve(exchange.credential()), Budgets.of(exchange.headers()));
        return next.apply(exchange);
    }
}
