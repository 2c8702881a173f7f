package dev.gearbox.exchange;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Stages in order; the request flows down them and the answer back up. Consecutive {@link InlineStage}s run as one
 * step ({@link InlineRun}), so a stage that does no I/O costs a method call, not a future.
 */
public final class Pipeline {

    private final Stage.Next head;

    private Pipeline(List<Stage> stages, Stage.Next end) {
        Stage.Next next = end;
        int i = stages.size();
        while (i > 0) {
            if (stages.get(i - 1) instanceof InlineStage) {
                int from = i - 1;
                while (from > 0 && stages.get(from - 1) instanceof InlineStage) {
                    from--;
                }
                List<InlineStage> run = new ArrayList<>(i - from);
                for (Stage stage : stages.subList(from, i)) {
                    run.add((InlineStage) stage);
                }
                next = InlineRun.of(run, next);
                i = from;
            } else {
                next = link(stages.get(i - 1), next);
                i--;
            }
        }
        this.head = next;
    }

    /** A pipeline whose last stage must answer; falling off its end is a gateway bug, reported as one. */
    public static Pipeline of(Stage... stages) {
        return new Pipeline(List.of(stages), exchange -> Future.failedFuture(
                new IllegalStateException("no stage answered request " + exchange.requestId())));
    }

    /** A pipeline that stops after its stages, with what {@code end} answers: the explain endpoint's. */
    public static Pipeline until(Stage.Next end, Stage... stages) {
        return new Pipeline(List.of(stages), end);
    }

    public Future<Answer> apply(Exchange exchange) {
        return head.apply(exchange);
    }

    private static Stage.Next link(Stage stage, Stage.Next next) {
        return exchange -> {
            try {
                return stage.apply(exchange, next);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        };
    }
}
