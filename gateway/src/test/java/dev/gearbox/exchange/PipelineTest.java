package dev.gearbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private final List<String> seen = new ArrayList<>();
    private final Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", null, 0,
            ExchangeListener.NONE);

    @Test
    void inlineStagesThatDoNotLookAtTheAnswerHandUpTheFutureBelowAsItIs() {
        Future<Answer> below = Promise.<Answer>promise().future();

        Future<Answer> answer = Pipeline.until(exchange -> below, entering("a"), entering("b")).apply(exchange);

        assertThat(answer).isSameAs(below);
        assertThat(seen).containsExactly("enter a", "enter b");
    }

    @Test
    void inlineStagesEnterInOrderAndLeaveInnermostFirstInOneStepForTheirRun() {
        Promise<Answer> below = Promise.promise();
        Pipeline pipeline = Pipeline.until(exchange -> below.future(), answering("a"), entering("b"), answering("c"));

        Future<Answer> answer = pipeline.apply(exchange);
        assertThat(seen).containsExactly("enter a", "enter b", "enter c");
        WholeAnswer given = answer("x");
        below.complete(given);

        assertThat(seen).containsExactly("enter a", "enter b", "enter c", "leave c", "leave a");
        assertThat(answer.result()).isSameAs(given);
    }

    @Test
    void anAnsweringStageMayReplaceTheAnswerTheStagesAboveItSee() {
        WholeAnswer replaced = answer("replaced");
        InlineStage.Answering replacing = new InlineStage.Answering() {
            @Override
            public void enter(Exchange exchange) {
            }

            @Override
            public Answer leave(Exchange exchange, Answer answer) {
                return replaced;
            }
        };
        List<Answer> outerSaw = new ArrayList<>();
        InlineStage.Answering outer = new InlineStage.Answering() {
            @Override
            public void enter(Exchange exchange) {
            }

            @Override
            public Answer leave(Exchange exchange, Answer answer) {
                outerSaw.add(answer);
                return answer;
            }
        };

        Future<Answer> answer = Pipeline.until(exchange -> Future.succeededFuture(answer("x")), outer, replacing)
                .apply(exchange);

        assertThat(outerSaw).containsExactly(replaced);
        assertThat(answer.result()).isSameAs(replaced);
    }

    @Test
    void runsAroundAStageWithIoKeepEveryStagesOrderOnTheWayDownAndUp() {
        Stage io = (exchange, next) -> {
            seen.add("io down");
            return next.apply(exchange).map(answer -> {
                seen.add("io up");
                return answer;
            });
        };
        Pipeline pipeline = Pipeline.until(exchange -> {
            seen.add("end");
            return Future.succeededFuture(answer("x"));
        }, answering("a"), entering("b"), io, answering("c"), entering("d"));

        Future<Answer> answer = pipeline.apply(exchange);

        assertThat(answer.succeeded()).isTrue();
        assertThat(seen).containsExactly("enter a", "enter b", "io down", "enter c", "enter d", "end", "leave c",
                "io up", "leave a");
    }

    @Test
    void anInlineStageThatRefusesFailsTheRequestBeforeAnythingBelowItRuns() {
        IllegalArgumentException refusal = new IllegalArgumentException("refused");
        InlineStage refusing = exchange -> {
            seen.add("enter refusing");
            throw refusal;
        };

        Future<Answer> answer = Pipeline.until(exchange -> {
            seen.add("end");
            return Future.succeededFuture(answer("x"));
        }, answering("a"), refusing, answering("c")).apply(exchange);

        assertThat(answer.cause()).isSameAs(refusal);
        assertThat(seen).containsExactly("enter a", "enter refusing");
    }

    @Test
    void anAnsweringStageThatThrowsOnTheWayUpFailsTheRequest() {
        IllegalStateException broken = new IllegalStateException("broken");
        InlineStage.Answering throwing = new InlineStage.Answering() {
            @Override
            public void enter(Exchange exchange) {
            }

            @Override
            public Answer leave(Exchange exchange, Answer answer) {
                throw broken;
            }
        };

        Future<Answer> answer = Pipeline.until(exchange -> Future.succeededFuture(answer("x")), answering("a"), throwing)
                .apply(exchange);

        assertThat(answer.cause()).isSameAs(broken);
        assertThat(seen).containsExactly("enter a");
    }

    @Test
    void aFailureBelowPassesUpWithoutAnyStageLeaving() {
        RuntimeException upstream = new RuntimeException("upstream");

        Future<Answer> answer = Pipeline.until(exchange -> Future.failedFuture(upstream), answering("a"), answering("b"))
                .apply(exchange);

        assertThat(answer.cause()).isSameAs(upstream);
        assertThat(seen).containsExactly("enter a", "enter b");
    }

    @Test
    void anEndThatThrowsBelowAnInlineRunFailsTheRequestInsteadOfEscaping() {
        IllegalStateException bug = new IllegalStateException("bug");

        Future<Answer> answer = Pipeline.until(exchange -> {
            throw bug;
        }, entering("a")).apply(exchange);

        assertThat(answer.cause()).isSameAs(bug);
    }

    @Test
    void aStageWithIoThatAnswersByItselfSkipsTheStagesBelowWhileTheRunAboveStillLeaves() {
        Stage hit = (exchange, next) -> Future.succeededFuture(answer("cached"));

        Future<Answer> answer = Pipeline.of(answering("a"), hit, answering("c")).apply(exchange);

        assertThat(answer.succeeded()).isTrue();
        assertThat(seen).containsExactly("enter a", "leave a");
    }

    @Test
    void anInlineStageUsedOnItsOwnActsAsItDoesInARun() {
        InlineStage.Answering stage = answering("a");

        Future<Answer> answer = stage.apply(exchange, exchange -> {
            seen.add("end");
            return Future.succeededFuture(answer("x"));
        });

        assertThat(answer.succeeded()).isTrue();
        assertThat(seen).containsExactly("enter a", "end", "leave a");
    }

    @Test
    void aPipelineWhoseStagesAllPassOnReportsTheBug() {
        Future<Answer> answer = Pipeline.of(entering("a")).apply(exchange);

        assertThat(answer.cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("req");
    }

    private InlineStage entering(String name) {
        return exchange -> seen.add("enter " + name);
    }

    private InlineStage.Answering answering(String name) {
        return new InlineStage.Answering() {
            @Override
            public void enter(Exchange exchange) {
                seen.add("enter " + name);
            }

            @Override
            public Answer leave(Exchange exchange, Answer answer) {
                seen.add("leave " + name);
                return answer;
            }
        };
    }

    private static WholeAnswer answer(String text) {
        return WholeAnswer.of(Buffer.buffer(text), "text/plain");
    }
}
