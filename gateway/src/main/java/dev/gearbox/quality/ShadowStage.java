package dev.gearbox.quality;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.InlineStage;
import dev.gearbox.routing.RoutingTable;

/**
 * Samples requests for shadow judging, per route, and keeps their answers as the client gets them: the answer
 * passes up unchanged, and nothing more happens until its response has ended ({@link AfterAnswer}). Also keeps
 * the answer of a route that keeps text. Only requests the judge can compare are sampled
 * ({@link Quality#comparable}), under {@link #MAX_BYTES}; a request drawn and then answered by the cache or a
 * third tier is counted as skipped later.
 */
public final class ShadowStage implements InlineStage.Answering {

    /** The sampled answer, for {@link AfterAnswer}. */
    static final Attribute<Sample> SAMPLE = Attribute.of("quality.sample");
    /** What was drawn for a request on its way down, for its answer on the way up; none when nothing was. */
    private static final Attribute<Draw> DRAW = Attribute.of("quality.draw");
    /**
     * The largest request shadowed or kept as text: copying and judging a long document would hold the event loop
     * and cost what a long document costs; such requests are still kept, as features, for feedback.
     */
    static final int MAX_BYTES = 256 * 1024;

    private final Quality quality;
    private final Shadowing shadowing;

    private ShadowStage(Quality quality, Shadowing shadowing) {
        this.quality = quality;
        this.shadowing = shadowing;
    }

    /** @param shadowing this event loop's shadow runner */
    public static ShadowStage of(Quality quality, Shadowing shadowing) {
        return new ShadowStage(quality, shadowing);
    }

    @Override
    public void enter(Exchange exchange) {
        if (!Quality.comparable(exchange) || exchange.request().sizeBytes() >= MAX_BYTES) {
            return;
        }
        RoutingTable table = quality.rules().current();
        String route = exchange.decision().route();
        if (quality.sampler().sample(quality.sampleRate(table, route))) {
            exchange.attribute(DRAW, Draw.SHADOW);
        } else if (quality.storeText(table, route)) {
            exchange.attribute(DRAW, Draw.KEEP_TEXT);
        }
    }

    @Override
    public Answer leave(Exchange exchange, Answer answer) {
        Draw draw = exchange.attribute(DRAW);
        if (draw != null) {
            exchange.attribute(SAMPLE, Sample.of(answer, draw == Draw.SHADOW ? shadowing : null));
        }
        return answer;
    }

    /** A request drawn to be shadowed (its text kept for the judge), or only to have its text kept. */
    private enum Draw {
        SHADOW, KEEP_TEXT
    }
}
