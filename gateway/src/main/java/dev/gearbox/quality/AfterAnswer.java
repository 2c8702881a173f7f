package dev.gearbox.quality;

import dev.gearbox.exchange.CacheOutcome;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a chat request's response has ended with its whole answer sent, keeps its record for feedback and
 * starts its shadow if it was sampled: both after the client has everything, off the request's path. A
 * request that failed, was refused or whose stream was cut is neither kept nor shadowed.
 */
public final class AfterAnswer implements ExchangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(AfterAnswer.class);

    private final Quality quality;

    private AfterAnswer(Quality quality) {
        this.quality = quality;
    }

    public static AfterAnswer of(Quality quality) {
        return new AfterAnswer(quality);
    }

    @Override
    public void finished(Exchange exchange) {
        if (exchange.status() != 200 || exchange.outcome() != null || exchange.interrupts().interrupted() || !Quality.comparable(exchange)) {
            return;
        }
        Sample sample = exchange.attribute(ShadowStage.SAMPLE);
        if (!quality.remembers() && sample == null) {
            return;
        }
        JsonObject message = sample == null ? null : sample.message();
        if (sample != null && message == null) {
            if (sample.shadowing() != null) {
                quality.events().skipped(QualityEvents.Skip.NOT_COMPARABLE);
            }
            return;
        }
        boolean text = quality.storeText(quality.rules().current(), exchange.route());
        RequestRecord record = quality.record(exchange, text && message != null ? Judge.answer(message) : null);
        if (quality.remembers()) {
            quality.store().remember(record, quality.feedbackUntil(record.at()))
                    .onFailure(e -> LOG.debug("request {} not kept for feedback: {}", record.requestId(), e.toString()));
        }
        if (sample != null && sample.shadowing() != null) {
            if (exchange.cache() == CacheOutcome.HIT) {
                quality.events().skipped(QualityEvents.Skip.NOT_COMPARABLE);
            } else {
                sample.shadowing().start(exchange, record, message, text);
            }
        }
    }
}
