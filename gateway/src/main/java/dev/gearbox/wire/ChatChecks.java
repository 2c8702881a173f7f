package dev.gearbox.wire;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The checks of a chat request's fields the gateway relies on, over a {@link ChatView}, so a scanned body
 * and a tree are refused with the same 400 naming the same value.
 */
final class ChatChecks {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private ChatChecks() {
    }

    /** @param anyMessages whether an empty messages array is allowed (a request with no chat form) */
    static void check(ChatView view, boolean anyMessages) {
        if (view.kind("model") != ChatView.Kind.ABSENT && view.kind("model") != ChatView.Kind.NULL
                && view.kind("model") != ChatView.Kind.STRING) {
            throw ApiException.invalidRequest("model", "'model' must be a string.");
        }
        if (!anyMessages || view.kind("messages") != ChatView.Kind.ARRAY || view.messageCount() > 0) {
            checkMessages(view);
        }
        optionalBoolean("stream", view.value("stream"));
        Object options = view.value("stream_options");
        if (options != null) {
            if (!(options instanceof JsonObject o)) {
                throw ApiException.invalidRequest("stream_options", "'stream_options' must be an object.");
            }
            optionalBoolean("include_usage", o.getValue("include_usage"));
        }
        checkCount(view, "max_tokens", 1, Integer.MAX_VALUE);
        checkCount(view, "max_completion_tokens", 1, Integer.MAX_VALUE);
        checkCount(view, "n", 1, 128);
        checkNumber(view, "temperature", 0, 2);
        checkNumber(view, "top_p", 0, 1);
        ChatView.Kind tools = view.kind("tools");
        if (tools != ChatView.Kind.ABSENT && tools != ChatView.Kind.NULL && tools != ChatView.Kind.ARRAY) {
            throw ApiException.invalidRequest("tools", "'tools' must be an array.");
        }
    }

    private static void checkMessages(ChatView view) {
        ChatView.Kind kind = view.kind("messages");
        if (kind == ChatView.Kind.ABSENT || kind == ChatView.Kind.NULL) {
            throw ApiException.invalidRequest("messages", "Missing required parameter: 'messages'.");
        }
        if (kind != ChatView.Kind.ARRAY) {
            throw ApiException.invalidRequest("messages", "'messages' must be an array of message objects.");
        }
        if (view.messageCount() == 0) {
            throw ApiException.invalidRequest("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < view.messageCount(); i++) {
            if (!view.isMessage(i)) {
                String param = "messages[" + i + "]";
                throw ApiException.invalidRequest(param, "'" + param + "' must be an object.");
            }
            Object role = view.role(i);
            if (!(role instanceof String r) || !ROLES.contains(r)) {
                String param = "messages[" + i + "]";
                throw ApiException.invalidRequest(param + ".role", "'" + param + ".role' is " + JsonValues.describe(role)
                        + "; expected one of 'system', 'developer', 'user', 'assistant', 'tool'.");
            }
            ChatView.Kind content = view.contentKind(i);
            if (content != ChatView.Kind.ABSENT && content != ChatView.Kind.NULL && content != ChatView.Kind.STRING
                    && content != ChatView.Kind.ARRAY) {
                String param = "messages[" + i + "]";
                throw ApiException.invalidRequest(param + ".content",
                        "'" + param + ".content' must be a string or an array of content parts.");
            }
        }
    }

    /** A boolean that may be left out: false when absent or null. */
    static boolean optionalBoolean(String field, Object value) {
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a boolean, not " + JsonValues.describe(value) + ".");
        }
        return b;
    }

    private static void checkCount(ChatView view, String field, long min, long max) {
        if (view.kind(field) == ChatView.Kind.ABSENT || view.kind(field) == ChatView.Kind.NULL) {
            return;
        }
        Object value = view.value(field);
        if (!JsonValues.isInteger(value, min, max)) {
            throw ApiException.invalidRequest(field, "'" + field + "' is " + JsonValues.describe(value) + "; expected an integer from "
                    + min + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ".");
        }
    }

    private static void checkNumber(ChatView view, String field, double min, double max) {
        if (view.kind(field) == ChatView.Kind.ABSENT || view.kind(field) == ChatView.Kind.NULL) {
            return;
        }
        Object value = view.value(field);
        if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw ApiException.invalidRequest(field, "'" + field + "' is " + JsonValues.describe(value) + "; expected a number from "
                    + min + " to " + max + ".");
        }
    }
}
