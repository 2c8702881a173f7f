package dev.gearbox.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway reads of a chat completion request's body: its top-level values and its messages' roles
 * and contents, each as a parsed object would hold it (String, Integer, Long, BigInteger, Double, Boolean,
 * JsonObject, JsonArray or null), so every reader gets the same values whether the body was scanned from the
 * client's bytes ({@link ChatRequest#parse}) or built as a tree (a request another inbound API translated).
 * Scanned, a value is decoded when asked for, and only an object or array asked for is parsed: the whole
 * tree is built only by {@link #tree()}. Confined to one request.
 */
public interface ChatView {

    /** What a value is, without decoding it. */
    enum Kind {
        ABSENT, NULL, STRING, NUMBER, BOOLEAN, OBJECT, ARRAY
    }

    /** A top-level value, or null when it is absent or null. */
    Object value(String field);

    Kind kind(String field);

    /** Whether a top-level value is an array with at least one element. */
    default boolean nonEmptyArray(String field) {
        return value(field) instanceof JsonArray array && !array.isEmpty();
    }

    /** How many entries {@code messages} has; 0 when it is not an array. */
    int messageCount();

    /** Whether entry {@code i} of {@code messages} is an object. */
    boolean isMessage(int i);

    /** The {@code role} of message {@code i}, or null; null for an entry that is no object. */
    Object role(int i);

    /** The {@code content} of message {@code i}, or null; null for an entry that is no object. */
    Object content(int i);

    Kind contentKind(int i);

    /** The whole body as a tree, built on first use by a scanned view: for the translators and features that need one. */
    JsonObject tree();

    /** A view of a body already parsed into a tree. */
    static ChatView of(JsonObject body) {
        return new TreeView(body);
    }

    /** The kind of a value as a parsed object holds it. */
    static Kind kindOf(Object value) {
        if (value == null) {
            return Kind.NULL;
        }
        if (value instanceof String) {
            return Kind.STRING;
        }
        if (value instanceof Number) {
            return Kind.NUMBER;
        }
        if (value instanceof Boolean) {
            return Kind.BOOLEAN;
        }
        return value instanceof JsonArray ? Kind.ARRAY : Kind.OBJECT;
    }

    /** A view over a parsed body. */
    final class TreeView implements ChatView {
        private final JsonObject body;
        private JsonArray messages;

        private TreeView(JsonObject body) {
            this.body = java.util.Objects.requireNonNull(body, "body");
        }

        @Override
        public Object value(String field) {
            return body.getValue(field);
        }

        @Override
        public Kind kind(String field) {
            return body.containsKey(field) ? kindOf(body.getValue(field)) : Kind.ABSENT;
        }

        @Override
        public int messageCount() {
            return messages().size();
        }

        @Override
        public boolean isMessage(int i) {
            return messages().getValue(i) instanceof JsonObject;
        }

        @Override
        public Object role(int i) {
            return messages().getValue(i) instanceof JsonObject m ? m.getValue("role") : null;
        }

        @Override
        public Object content(int i) {
            return messages().getValue(i) instanceof JsonObject m ? m.getValue("content") : null;
        }

        @Override
        public Kind contentKind(int i) {
            if (!(messages().getValue(i) instanceof JsonObject m) || !m.containsKey("content")) {
                return Kind.ABSENT;
            }
            return kindOf(m.getValue("content"));
        }

        @Override
        public JsonObject tree() {
            return body;
        }

        /** Looked up once: every lookup in a Vert.x JSON object wraps the list anew. */
        private JsonArray messages() {
            if (messages == null) {
                messages = body.getValue("messages") instanceof JsonArray found ? found : new JsonArray(java.util.List.of());
            }
            return messages;
        }
    }
}
