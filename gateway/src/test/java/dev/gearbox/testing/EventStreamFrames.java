package dev.gearbox.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A recorded Converse stream (a fixture listing each event's type and payload) framed as Bedrock sends it,
 * {@code application/vnd.amazon.eventstream}, by the AWS SDK's own encoder: prelude, headers, payload, CRCs.
 */
public final class EventStreamFrames {

    private EventStreamFrames() {
    }

    public static byte[] of(String fixture) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object value : new JsonArray(Fixtures.text(fixture))) {
            JsonObject event = (JsonObject) value;
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            if (event.getValue("exception") instanceof String exception) {
                headers.put(":message-type", HeaderValue.fromString("exception"));
                headers.put(":exception-type", HeaderValue.fromString(exception));
            } else {
                headers.put(":message-type", HeaderValue.fromString("event"));
                headers.put(":event-type", HeaderValue.fromString(event.getString("event")));
            }
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            byte[] payload = event.getJsonObject("payload").encode().getBytes(StandardCharsets.UTF_8);
            new Message(headers, payload).encode(out);
        }
        return out.toByteArray();
    }
}
