package dev.gearbox.exchange;

import io.vertx.core.Future;
import java.util.List;

/**
 * Consecutive inline stages as one step of a {@link Pipeline}: each enters in order, then the stages below run,
 * and the answering ones leave innermost first, in one mapping of the answer for the whole run, or none when no
 * stage of the run looks at the answer. The run's order is exactly that of the stages it replaces.
 */
final class InlineRun implements Stage.Next {

    private final InlineStage[] entering;
    /** Innermost first, the order in which separate stages would have seen the answer. */
    private final InlineStage.Answering[] leaving;
    private final Stage.Next next;

    private InlineRun(InlineStage[] entering, InlineStage.Answering[] leaving, Stage.Next next) {
        this.entering = entering;
        this.leaving = leaving;
        this.next = next;
    }

    static Stage.Next of(List<InlineStage> stages, Stage.Next next) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: [] (expected: at least one inline stage)");
        }
        List<InlineStage.Answering> answering = stages.stream()
                .filter(InlineStage.Answering.class::isInstance).map(InlineStage.Answering.class::cast).toList();
        InlineStage.Answering[] leaving = new InlineStage.Answering[answering.size()];
        for (int i = 0; i < leaving.length; i++) {
            leaving[i] = answering.get(leaving.length - 1 - i);
        }
        return new InlineRun(stages.toArray(InlineStage[]::new), leaving, next);
    }

    @Override
    public Future<Answer> apply(Exchange exchange) {
        Future<Answer> below;
        try {
            for (InlineStage stage : entering) {
                stage.enter(exchange);
            }
            below = next.apply(exchange);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return leaving.length == 0 ? below : below.map(answer -> leave(exchange, answer));
    }

    private Answer leave(Exchange exchange, Answer answer) {
        Answer passed = answer;
        for (InlineStage.Answering stage : leaving) {
            passed = stage.leave(exchange, passed);
        }
        return passed;
    }
}
