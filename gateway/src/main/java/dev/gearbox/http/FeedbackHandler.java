package dev.gearbox.http;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.Stage;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.quality.Feedback;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/feedback}: the caller is admitted by the same admission stage as every request, which checks
 * its key and reserves nothing, so feedback spends none of the key's requests or budget; its tenant is the one
 * whose requests it may score. Errors are OpenAI's shape.
 */
public final class FeedbackHandler {

    private static final Attribute<JsonObject> BODY = Attribute.of("feedback.body");

    private final Pipeline pipeline;

    private FeedbackHandler(Feedback feedback, Stage admission) {
        this.pipeline = Pipeline.until(exchange -> feedback.score(exchange.tenant(), exchange.attribute(BODY))
                .map(json -> (Answer) WholeAnswer.of(json.toBuffer(), "application/json")), admission);
    }

    public static FeedbackHandler create(Feedback feedback, Stage admission) {
        return new FeedbackHandler(feedback, admission);
    }

    public void handle(RoutingContext rc) {
        Exchange exchange = ExchangeHandler.exchange(rc);
        exchange.credential(ApiKeyAuthHandler.credential(rc.request()));
        Future<Answer> answer;
        try {
            exchange.attribute(BODY, Json.request(rc.body() == null ? null : rc.body().buffer()));
            answer = pipeline.apply(exchange);
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> {
            if (ar.succeeded()) {
                WholeAnswer whole = (WholeAnswer) ar.result();
                rc.response().putHeader("content-type", whole.contentType()).end(whole.body());
            } else if (ar.cause() instanceof ApiException e) {
                ErrorFormat.render(rc, e);
            } else {
                // The store is the one thing behind the checks: it did not answer (Redis down, or a write failed).
                ErrorFormat.render(rc, new ApiException(503, "server_error", "state_unavailable", null,
                        "The quality log could not be reached; try again."));
            }
        });
    }
}
