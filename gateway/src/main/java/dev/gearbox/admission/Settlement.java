package dev.gearbox.admission;

import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.state.Charge;
import dev.gearbox.state.Hold;
import dev.gearbox.state.Limits;
import dev.gearbox.state.Store;

/**
 * Ends each admitted request's reservation: on what it actually cost once it is priced (a stream,
 * cut or cancelled too, on what was streamed), or with nothing when it ended without an answer (a
 * failed call). A stream whose price comes after the response has ended is settled when it comes;
 * if it never does, the reservation expires in the store. The settle's future is kept on the exchange
 * ({@link ReservationStage#SETTLED}): the answer waits for it.
 */
public final class Settlement implements ExchangeListener {

    private final Store store;

    private Settlement(Store store) {
        this.store = store;
    }

    public static Settlement of(Store store) {
        return new Settlement(store);
    }

    @Override
    public void priced(Exchange exchange) {
        Hold hold = exchange.attribute(ReservationStage.HOLD);
        if (hold != null) {
            settle(exchange, hold);
        }
    }

    @Override
    public void finished(Exchange exchange) {
        Hold hold = exchange.attribute(ReservationStage.HOLD);
        if (hold == null) {
            return;
        }
        if (exchange.cost() != null) {
            settle(exchange, hold);
        } else if (exchange.stream() && exchange.answeredModelId() != null && exchange.usage() == null) {
            // A stream still being priced: priced() settles it.
            return;
        } else {
            exchange.attribute(ReservationStage.HOLD, null);
            store.release(hold);
        }
    }

    private void settle(Exchange exchange, Hold hold) {
        exchange.attribute(ReservationStage.HOLD, null);
        Cost cost = exchange.cost();
        Usage usage = exchange.usage();
        String model = exchange.answeredModelId() != null ? exchange.answeredModelId() : "none";
        exchange.attribute(ReservationStage.SETTLED, store.settle(hold, new Charge(exchange.caller().keyId(), model,
                Limits.nanos(cost.usd()), Limits.nanos(cost.baselineUsd()), usage == null ? 0 : usage.promptTokens(),
                usage == null ? 0 : usage.completionTokens())));
    }
}
