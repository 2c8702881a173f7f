package dev.gearbox.exchange;

import io.vertx.core.Future;

/**
 * A stage that does no I/O: it acts on the request on its way down and, when it is {@link Answering}, on the
 * answer on its way up, synchronously and without a future of its own. A {@link Pipeline} runs consecutive inline
 * stages as one step: it hands up the future of the stage below them as it is when none of them looks at the
 * answer, and adds one mapping for the whole run when some do. A request thus allocates no future per stage that
 * does no I/O, which on the chat path is most of them.
 *
 * <p>Runs on the request's event loop and never blocks; an inline stage refuses a request by throwing what the
 * client should see (an {@code ApiException}), which fails the request before anything below it runs.
 */
public interface InlineStage extends Stage {

    /** Acts on the request before the stages below it see it. */
    void enter(Exchange exchange);

    /** The stage on its own, outside a pipeline's run of inline stages. */
    @Override
    default Future<Answer> apply(Exchange exchange, Next next) {
        enter(exchange);
        return next.apply(exchange);
    }

    /** An inline stage that also acts on the answer, once the stages below it have given one. */
    interface Answering extends InlineStage {

        /**
         * Acts on the answer of the stages below; returns what to pass up (the same answer, unless the stage
         * replaces it). Not called when the request failed below, nor when this stage's own {@link #enter} or
         * one above it in the same run threw.
         */
        Answer leave(Exchange exchange, Answer answer);

        @Override
        default Future<Answer> apply(Exchange exchange, Next next) {
            enter(exchange);
            return next.apply(exchange).map(answer -> leave(exchange, answer));
        }
    }
}
