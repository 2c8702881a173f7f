package dev.gearbox.responses;

import dev.gearbox.exchange.Attribute;
import dev.gearbox.exchange.Exchange;

/**
 * The id of the response an exchange produces, kept on the exchange: whoever needs it first (the stage that
 * stores the conversation, or the inbound API rendering the answer) makes it, and both then name the same
 * response.
 */
public final class ResponseIds {

    private static final Attribute<String> ID = Attribute.of("responses.id");

    private ResponseIds() {
    }

    public static String of(Exchange exchange) {
        String id = exchange.attribute(ID);
        if (id == null) {
            id = ResponseObject.newId();
            exchange.attribute(ID, id);
        }
        return id;
    }
}
