package dev.gearbox.responses;

import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.wire.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one Responses request keeps on its exchange: the id of the response it produces, made by whoever
 * needs it first (the stage that stores the conversation, or the inbound API rendering the answer) so both
 * name the same response; and the body as the client sent it, when a continued conversation replaced the
 * request with one that carries the earlier turns.
 */
public final class ResponseTurn {

    private static final Attribute<String> ID = Attribute.of("responses.id");
    private static final Attribute<JsonObject> CLIENT_BODY = Attribute.of("responses.client_body");

    private ResponseTurn() {
    }

    public static String id(Exchange exchange) {
        String id = exchange.attribute(ID);
        if (id == null) {
            id = ResponseObject.newId();
            exchange.attribute(ID, id);
        }
        return id;
    }

    /** The client's Responses body, whose settings the response echoes. */
    public static JsonObject clientBody(Exchange exchange) {
        JsonObject body = exchange.attribute(CLIENT_BODY);
        return body != null ? body : exchange.request().nativeRequest().orElseThrow().body();
    }

    /** Replaces the exchange's request with {@code continued}, which holds the earlier turns too. */
    public static void continued(Exchange exchange, Request continued) {
        exchange.attribute(CLIENT_BODY, clientBody(exchange));
        exchange.request(continued);
    }

    /** The request's {@code input} as a list of items: a string is one user message. */
    public static JsonArray inputItems(JsonObject body) {
        Object input = body.getValue("input");
        if (input instanceof JsonArray items) {
            return items;
        }
        return new JsonArray().add(new JsonObject().put("type", "message").put("role", "user").put("content", input));
    }
}
