package dev.gearbox.exchange;

import dev.gearbox.config.ModelConfig;
import java.util.List;

/**
 * Hears what happens to a request, as Armeria's request log is read: metrics, the access log, latency
 * statistics (and later traces and the spend ledger) are listeners; no stage records any of them by hand.
 * Each event is told once. Called on the request's event loop; must not block.
 */
public interface ExchangeListener {

    /** The routing stage chose a model. */
    default void routed(Exchange exchange) {
    }

    /** An upstream call to {@code model} is leaving; {@code number} counts from 1 per model. */
    default void attempt(Exchange exchange, ModelConfig model, int number) {
    }

    /** A failed call to {@code model} is tried again after a backoff. */
    default void retry(Exchange exchange, ModelConfig model, String reason) {
    }

    /** {@code model} is given up on (or skipped) and the next candidate, if any, is tried. */
    default void fallback(Exchange exchange, ModelConfig model, String reason) {
    }

    /** The first good byte of the answer arrived: the answer is committed. */
    default void firstByte(Exchange exchange) {
    }

    /** The answer's usage and cost are known. */
    default void priced(Exchange exchange) {
    }

    /** The response has ended or its connection closed; the exchange holds everything known. */
    default void finished(Exchange exchange) {
    }

    /** A listener that hears nothing, for exchanges that are not requests (an explained one). */
    ExchangeListener NONE = new ExchangeListener() {
    };

    /** Tells each listener in turn; a loop over an array, since it runs several times per request. */
    static ExchangeListener all(List<ExchangeListener> listeners) {
        ExchangeListener[] each = listeners.toArray(new ExchangeListener[0]);
        return new ExchangeListener() {
            @Override
            public void routed(Exchange exchange) {
                for (ExchangeListener l : each) {
                    l.routed(exchange);
                }
            }

            @Override
            public void attempt(Exchange exchange, ModelConfig model, int number) {
                for (ExchangeListener l : each) {
                    l.attempt(exchange, model, number);
                }
            }

            @Override
            public void retry(Exchange exchange, ModelConfig model, String reason) {
                for (ExchangeListener l : each) {
                    l.retry(exchange, model, reason);
                }
            }

            @Override
            public void fallback(Exchange exchange, ModelConfig model, String reason) {
                for (ExchangeListener l : each) {
                    l.fallback(exchange, model, reason);
                }
            }

            @Override
            public void firstByte(Exchange exchange) {
                for (ExchangeListener l : each) {
                    l.firstByte(exchange);
                }
            }

            @Override
            public void priced(Exchange exchange) {
                for (ExchangeListener l : each) {
                    l.priced(exchange);
                }
            }

            @Override
            public void finished(Exchange exchange) {
                for (ExchangeListener l : each) {
                    l.finished(exchange);
                }
            }
        };
    }
}
