package dev.gearbox.routing.difficulty;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The text of a chat message's {@code content}: a string as it is, or the {@code text} of its parts joined
 * by newlines (images and other parts have none). One function for the gateway and the trainer, so the
 * score is computed from the same text it was trained on.
 */
public final class MessageText {

    private MessageText() {
    }

    public static String of(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (!(content instanceof JsonArray parts)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(t);
            }
        }
        return out.toString();
    }
}
