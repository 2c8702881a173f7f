package dev.gearbox.telemetry;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.routing.LatencyStats;

/**
 * Feeds the live latency statistics that latency budgets route by: time to first byte and to the end of
 * each whole answer a model gave, measured from its answering attempt. Cut, failed and cached answers say
 * nothing about a model's speed and are left out.
 */
public final class LatencyListener implements ExchangeListener {

    private final LatencyStats latency;

    private LatencyListener(LatencyStats latency) {
        this.latency = latency;
    }

    public static LatencyListener of(LatencyStats latency) {
        return new LatencyListener(latency);
    }

    @Override
    public void finished(Exchange exchange) {
        if (exchange.answeredModel() == null || exchange.timings().upstreamDoneNanos() == 0 || exchange.outcome() != null
                || exchange.status() < 200 || exchange.status() > 299) {
            return;
        }
        long start = exchange.timings().attemptStartNanos();
        latency.record(exchange.answeredModel(), (exchange.timings().firstByteNanos() - start) / 1e6,
                (exchange.timings().upstreamDoneNanos() - start) / 1e6);
    }
}
