package dev.gearbox.upstream;

import dev.gearbox.wire.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes provider keys out of what a provider said, before it reaches a client or a log: the keys the config
 * holds, and anything shaped like an OpenAI or Anthropic key ({@code sk-...}), a Google API key
 * ({@code AIza...}) or an AWS access key id ({@code AKIA...}, {@code ASIA...}), since a provider that echoes
 * a key it was sent may echo one the gateway never knew (a client's own, in a proxied header).
 */
public final class Redaction {

    private static final Pattern KEY_LIKE = Pattern.compile("(sk-[A-Za-z0-9_*-]{3})[A-Za-z0-9_*-]+");
    private static final Pattern CLOUD_KEY_LIKE = Pattern.compile("(AIza|\\b(?:AKIA|ASIA))[A-Za-z0-9_-]{16,}");
    private static final String MASK = "***";

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /** @param secrets values that must never reach a client, such as provider API keys; shorter than 4 are ignored */
    public static Redaction of(List<String> secrets) {
        return new Redaction(secrets.stream().filter(s -> s != null && s.length() >= 4).distinct().toList());
    }

    /** The text with every secret and key-shaped word masked. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        out = CLOUD_KEY_LIKE.matcher(out).replaceAll("$1" + MASK);
        return KEY_LIKE.matcher(out).replaceAll("$1" + MASK);
    }

    /**
     * An upstream event that is relayed to the client (an error event quoting what went wrong), with every
     * string in it, names and values, redacted. It is read as JSON rather than as bytes, so a key written
     * with JSON escapes is found too; the event comes back as it was when nothing needed masking.
     */
    SseEvent event(SseEvent event) {
        JsonObject json;
        try {
            json = new JsonObject(event.toBuffer());
        } catch (RuntimeException notJson) {
            // Relayed events are checked JSON objects; anything else is masked as text.
            byte[] masked = text(event.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new SseEvent(masked, 0, masked.length);
        }
        JsonObject redacted = object(json);
        if (redacted.equals(json)) {
            return event;
        }
        byte[] bytes = redacted.toBuffer().getBytes();
        return new SseEvent(bytes, 0, bytes.length);
    }

    private JsonObject object(JsonObject in) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Object> field : in) {
            out.put(text(field.getKey()), value(field.getValue()));
        }
        return out;
    }

    private Object value(Object value) {
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof JsonObject o) {
            return object(o);
        }
        if (value instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(v -> out.add(value(v)));
            return out;
        }
        return value;
    }
}
