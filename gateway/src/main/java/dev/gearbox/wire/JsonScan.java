package dev.gearbox.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks that bytes are exactly one valid JSON object in strict UTF-8, and notes the kinds of its
 * top-level values, without building anything: how an answer from upstream is told from garbage, an
 * error in a 200, or a body cut short. Strings may be as long as any body the gateway accepts; Jackson's
 * default 20 MB string limit is for documents, not for answers a model may legitimately write.
 */
public final class JsonScan {

    /** Upstream answers may be long; depth stays bounded so a hostile one cannot exhaust the stack. */
    static final JsonFactory ANSWERS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNestingDepth(500)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** The top-level fields of a valid object, by the token their value starts with. */
    public static final class TopLevel {
        private final Map<String, JsonToken> fields;
        private final Map<String, Long> usage;

        private TopLevel(Map<String, JsonToken> fields, Map<String, Long> usage) {
            this.fields = fields;
            this.usage = usage;
        }

        /**
         * A whole number in the top-level {@code usage} object, read on the same pass: {@code prompt_tokens},
         * or one level down as {@code prompt_tokens_details.cached_tokens}; -1 when it is not there.
         */
        public long usage(String path) {
            Long value = usage == null ? null : usage.get(path);
            return value == null ? -1 : value;
        }

        public boolean has(String name) {
            return fields.containsKey(name);
        }

        /** Whether the field is there and its value is an array. */
        public boolean hasArray(String name) {
            return fields.get(name) == JsonToken.START_ARRAY;
        }

        /** Whether the field is there and its value is an object. */
        public boolean hasObject(String name) {
            return fields.get(name) == JsonToken.START_OBJECT;
        }
    }

    private JsonScan() {
    }

    /** Reads the whole numbers of an object (and of its objects, {@code depth} levels down) as dotted paths. */
    private static void readCounts(JsonParser p, String prefix, Map<String, Long> out, int depth) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix + p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                out.put(name, p.getValueAsLong());
            } else if (value == JsonToken.START_OBJECT && depth > 0) {
                readCounts(p, name + ".", out, depth - 1);
            } else {
                p.skipChildren();
            }
        }
    }

    public static TopLevel object(byte[] b) {
        return object(b, 0, b.length);
    }

    /** The top level of one valid JSON object in the given bytes; null when they are anything else. */
    public static TopLevel object(byte[] b, int offset, int length) {
        if (!Utf8.valid(b, offset, length)) {
            return null;
        }
        try (JsonParser p = ANSWERS.createParser(b, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, JsonToken> fields = new HashMap<>(8);
            Map<String, Long> usage = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                fields.put(name, value);
                if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
                    usage = new HashMap<>(8);
                    readCounts(p, "", usage, 1);
                } else {
                    // skipChildren still reads every token of the value, so the whole text is checked.
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return new TopLevel(fields, usage);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
