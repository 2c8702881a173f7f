package dev.gearbox.http;

import dev.gearbox.conversation.ConversationStage;
import dev.gearbox.conversation.ResponseStore;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.Stage;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.state.StoreUnavailableException;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET} and {@code DELETE /v1/responses/{id}}: a stored response of the caller's tenant. The caller is
 * admitted by the same admission stage as every request, which checks the key and reserves nothing (the
 * reservation is a later stage these paths do not run), so a response is found only with a valid key of the tenant that made it (any other gets the 404 an
 * unknown id gets), and reading one spends none of the key's requests or budget, since no model is called.
 */
public final class StoredResponsesHandler {

    private static final Attribute<String> ID = Attribute.of("responses.stored_id");

    private final Pipeline read;
    private final Pipeline delete;

    private StoredResponsesHandler(ResponseStore store, Stage admission) {
        this.read = Pipeline.until(exchange -> store.get(exchange.tenant(), id(exchange))
                .map(found -> found.<Answer>map(r -> WholeAnswer.of(r.response(), "application/json"))
                        .orElseThrow(() -> notFound(id(exchange)))), admission);
        this.delete = Pipeline.until(exchange -> store.delete(exchange.tenant(), id(exchange)).map(deleted -> {
            if (!deleted) {
                throw notFound(id(exchange));
            }
            return WholeAnswer.of(new JsonObject().put("id", id(exchange)).put("object", "response")
                    .put("deleted", true).toBuffer(), "application/json");
        }), admission);
    }

    public static StoredResponsesHandler create(ResponseStore store, Stage admission) {
        return new StoredResponsesHandler(store, admission);
    }

    public void get(RoutingContext rc) {
        answer(rc, read);
    }

    public void delete(RoutingContext rc) {
        answer(rc, delete);
    }

    private static void answer(RoutingContext rc, Pipeline pipeline) {
        Exchange exchange = ExchangeHandler.exchange(rc);
        exchange.credential(ApiKeyAuthHandler.credential(rc.request()));
        exchange.attribute(ID, rc.pathParam("id"));
        Future<Answer> answer;
        try {
            answer = pipeline.apply(exchange).recover(e -> Future.failedFuture(
                    e instanceof StoreUnavailableException ? ConversationStage.unavailable() : e));
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
                rc.fail(ar.cause());
            }
        });
    }

    private static String id(Exchange exchange) {
        return exchange.attribute(ID);
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "invalid_request_error", null, null, "Response with id '" + id + "' not found.");
    }
}
