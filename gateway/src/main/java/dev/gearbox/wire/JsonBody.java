package dev.gearbox.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body parsed once: the JSON object, and where the gateway's own top-level fields sit in its
 * bytes, so the upstream body can be the client's bytes with the model spliced in.
 *
 * <p>Builds the same values Vert.x's {@code new JsonObject(buffer)} does (maps, lists, strings, Integer,
 * Long or BigInteger, Double, Boolean, null), reading Jackson's tokens itself so it can note byte
 * offsets on the way. A key written twice at the top level (the last one wins, as in Vert.x) leaves the
 * bytes unfit for splicing.
 */
final class JsonBody {

    // The JDK parses a double like 1e308 slowly enough that 8 MiB of them would hold the event loop for seconds.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final JsonObject json;
    private final boolean spliceable;
    private final int objectStart;
    private final int modelStart;
    private final int modelEnd;
    private final boolean streamOptions;

    private JsonBody(JsonObject json, boolean spliceable, int objectStart, int modelStart, int modelEnd, boolean streamOptions) {
        this.json = json;
        this.spliceable = spliceable;
        this.objectStart = objectStart;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.streamOptions = streamOptions;
    }

    /** Parses a body that must be one JSON object; throws {@link ApiException} (400) when it is not. */
    static JsonBody parse(Buffer raw) {
        if (raw == null || raw.length() == 0) {
            throw ApiException.invalidRequest(null, "The request body is empty; expected a JSON object.");
        }
        byte[] bytes = raw.getBytes();
        return parse(bytes, 0, bytes.length);
    }

    /** As {@link #parse(Buffer)}, over a range of an array; offsets are from the start of the range. */
    static JsonBody parse(byte[] b, int offset, int length) {
        if (length == 0) {
            throw ApiException.invalidRequest(null, "The request body is empty; expected a JSON object.");
        }
        byte[] bytes = offset == 0 && length == b.length ? b : java.util.Arrays.copyOfRange(b, offset, offset + length);
        // JSON text never holds a NUL byte (control characters in strings are escaped), so one means another
        // encoding (UTF-16, UTF-32), which Jackson would otherwise detect and accept.
        if (!Utf8.valid(bytes) || indexOfNul(bytes) >= 0) {
            throw ApiException.invalidRequest(null, "The request body is not valid UTF-8.");
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.invalidRequest(null, "The request body is " + describe(p.currentToken())
                        + ", not a JSON object.");
            }
            int objectStart = (int) p.currentTokenLocation().getByteOffset();
            int modelStart = -1;
            int modelEnd = -1;
            boolean streamOptions = false;
            boolean spliceable = true;
            Map<String, Object> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getByteOffset();
                Object value = value(p, token, true);
                if ("model".equals(name)) {
                    spliceable &= modelStart < 0;
                    modelStart = valueStart;
                    modelEnd = (int) p.currentLocation().getByteOffset();
                } else if ("stream_options".equals(name)) {
                    spliceable &= !streamOptions;
                    streamOptions = true;
                }
                fields.put(name, value);
            }
            if (p.nextToken() != null) {
                throw ApiException.invalidRequest(null, "The request body is not valid JSON: at line "
                        + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr()
                        + ", expected the end of the body after the object.");
            }
            return new JsonBody(new JsonObject(fields), spliceable, objectStart, modelStart, modelEnd, streamOptions);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest(null, JsonSyntax.describe(e));
        } catch (IOException e) {
            // Reading from an array in memory fails only on malformed input; its message is the parser's, not the client's.
            throw ApiException.invalidRequest(null, "The request body could not be read as JSON.");
        }
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A whole answer from upstream as JSON: like {@link #parse} but with the answer limits of
     * {@link JsonScan} (strings as long as a body), and a number too large for a double kept exact
     * rather than refused, since the client asked for nothing wrong.
     *
     * @throws IllegalArgumentException when the bytes are not one JSON object
     */
    static JsonObject answer(Buffer raw) {
        try (JsonParser p = JsonScan.ANSWERS.createParser(raw.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) value(p, JsonToken.START_OBJECT, false);
            return new JsonObject(fields);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** One object of a request the scan found valid, parsed alone: its fields as a parsed body holds them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(byte[] b, int start, int length) {
        return (Map<String, Object>) part(b, start, length);
    }

    /** One array of a request the scan found valid, parsed alone. */
    @SuppressWarnings("unchecked")
    static List<Object> list(byte[] b, int start, int length) {
        return (List<Object>) part(b, start, length);
    }

    private static Object part(byte[] b, int start, int length) {
        try (JsonParser p = FACTORY.createParser(b, start, length)) {
            return value(p, p.nextToken(), true);
        } catch (IOException e) {
            throw new IllegalStateException("a value the scan found valid did not parse", e);
        }
    }

    /** @param strict whether a number out of a double's range is the client's error */
    private static Object value(JsonParser p, JsonToken token, boolean strict) throws IOException {
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.put(name, value(p, p.nextToken(), strict));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t, strict));
                }
                return array;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                if (Double.isInfinite(d)) {
                    if (strict) {
                        String text = p.getText();
                        throw ApiException.invalidRequest(p.currentName(), "The number " + (text.length() > 40
                                ? text.substring(0, 40) + "..." : text) + " is out of range; expected a number a double can hold.");
                    }
                    return p.getDecimalValue();
                }
                return d;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    JsonObject json() {
        return json;
    }

    /** Whether the bytes can take a spliced model: no top-level key of the gateway's was written twice. */
    boolean spliceable() {
        return spliceable;
    }

    boolean hasModel() {
        return modelStart >= 0;
    }

    boolean hasStreamOptions() {
        return streamOptions;
    }

    /** Where the object's opening brace is. */
    int objectStart() {
        return objectStart;
    }

    /** Where the value of {@code model} starts. */
    int modelStart() {
        return modelStart;
    }

    /** Just past the value of {@code model}. */
    int modelEnd() {
        return modelEnd;
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_ARRAY -> "a JSON array";
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
            case VALUE_NULL -> "null";
            default -> "not a JSON object";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
