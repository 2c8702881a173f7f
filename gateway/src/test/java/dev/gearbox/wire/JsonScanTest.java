package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte scan against Jackson's strict parser, which it replaced on the hot path: the same verdict on
 * valid, invalid and mutated texts, the same top-level kinds and the same usage counts.
 */
class JsonScanTest {

    private static final List<String> NAMES = List.of("id", "choices", "usage", "error", "model", "prompt_tokens",
            "completion_tokens", "prompt_tokens_details", "cached_tokens", "us\\u0061ge", "caf\u00e9", "");
    private static final List<String> PATHS = List.of("prompt_tokens", "completion_tokens",
            "prompt_tokens_details.cached_tokens", "id", "usage", "caf\u00e9");

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", " {} ", "\uFEFF{}", "{\"a\":1}", "{\"a\":-0.5e+10,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
        "{\"usage\":{\"prompt_tokens\":14,\"prompt_tokens_details\":{\"cached_tokens\":3}},\"choices\":[]}",
        "{\"a\":\"\\u00e9\\n\\\"\\/\"}", "{\"a\":\"caf\u00e9\"}", "{\"a\":1}\n\r\t "})
    void acceptsWhatJacksonAccepts(String text) {
        assertSameAsJackson(text.getBytes(StandardCharsets.UTF_8));
        assertThat(JsonScan.object(text.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "1", "\"a\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}",
        "{'a':1}", "{a:1}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
        "{\"a\":\"unterminated}", "{\"a\":[1,2}", "{\"a\":NaN}", "{\"a\":1}\u0000", "{/*c*/}", "{\"a\":1 2}",
        "{\"usage\":{\"prompt_tokens\":99999999999999999999}}", "{\"a\":[,1]}", "{\"a\":[1,]}"})
    void refusesWhatJacksonRefuses(String text) {
        assertSameAsJackson(text.getBytes(StandardCharsets.UTF_8));
        assertThat(JsonScan.object(text.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void refusesInvalidUtf8AndDepthBeyondTheLimit() {
        assertThat(JsonScan.object(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'})).isNull();
        String deep = "{\"a\":" + "[".repeat(JsonScan.MAX_DEPTH) + "]".repeat(JsonScan.MAX_DEPTH) + "}";
        String allowed = "{\"a\":" + "[".repeat(JsonScan.MAX_DEPTH - 1) + "]".repeat(JsonScan.MAX_DEPTH - 1) + "}";
        assertSameAsJackson(deep.getBytes(StandardCharsets.UTF_8));
        assertSameAsJackson(allowed.getBytes(StandardCharsets.UTF_8));
        assertThat(JsonScan.object(allowed.getBytes(StandardCharsets.UTF_8))).isNotNull();
        assertThat(JsonScan.object(deep.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void readsTheUsageBlockWithinABiggerBuffer() {
        byte[] b = "xx{\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":8,\"prompt_tokens_details\":{\"cached_tokens\":3}},\"choices\":[]}yy"
                .getBytes(StandardCharsets.UTF_8);
        JsonScan.TopLevel top = JsonScan.object(b, 2, b.length - 4);
        assertThat(top.usage("prompt_tokens")).isEqualTo(14);
        assertThat(top.usage("completion_tokens")).isEqualTo(8);
        assertThat(top.usage("prompt_tokens_details.cached_tokens")).isEqualTo(3);
        assertThat(top.usage("cached_tokens")).isEqualTo(-1);
        assertThat(top.hasArray("choices")).isTrue();
        assertThat(top.hasObject("usage")).isTrue();
        assertThat(top.has("error")).isFalse();
    }

    @Test
    void agreesWithJacksonOnRandomAndMutatedTexts() {
        SplittableRandom random = new SplittableRandom(18);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            object(text, random, 0);
            byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(2) == 0) {
                b = mutate(b, random);
            }
            assertSameAsJackson(b);
        }
    }

    private static byte[] mutate(byte[] b, SplittableRandom random) {
        if (b.length == 0) {
            return b;
        }
        byte[] out = b.clone();
        int at = random.nextInt(out.length);
        String pool = "{}[],:\"\\ 0123456789.eE+-tfnul x\u0001";
        switch (random.nextInt(3)) {
            case 0 -> out[at] = (byte) pool.charAt(random.nextInt(pool.length()));
            case 1 -> {
                byte[] shorter = new byte[out.length - 1];
                System.arraycopy(out, 0, shorter, 0, at);
                System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                out = shorter;
            }
            default -> {
                byte[] longer = new byte[out.length + 1];
                System.arraycopy(out, 0, longer, 0, at);
                longer[at] = (byte) pool.charAt(random.nextInt(pool.length()));
                System.arraycopy(out, at, longer, at + 1, out.length - at);
                out = longer;
            }
        }
        return out;
    }

    private static void object(StringBuilder out, SplittableRandom random, int depth) {
        out.append('{');
        int n = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(random.nextInt(8) == 0 ? " " : "").append('"').append(NAMES.get(random.nextInt(NAMES.size())))
                    .append("\":");
            value(out, random, depth + 1);
        }
        out.append('}');
    }

    private static void value(StringBuilder out, SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 3 ? 5 : 7)) {
            case 0 -> out.append(List.of("0", "-0", "14", "-3", "9223372036854775807", "1.5", "-2e10", "3E-2", "0.0",
                    "99999999999999999999").get(random.nextInt(10)));
            case 1 -> out.append(List.of("true", "false", "null").get(random.nextInt(3)));
            case 2 -> out.append('"').append(List.of("", "a", "caf\u00e9", "\\n", "\\u00e9", "\\\"q\\\"", "\u4e2d").get(random.nextInt(7)))
                    .append('"');
            case 3 -> out.append(" ");
            case 4 -> out.append("\"s\"");
            case 5 -> object(out, random, depth);
            default -> {
                out.append('[');
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, random, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private static void assertSameAsJackson(byte[] b) {
        Reference expected = Reference.object(b);
        JsonScan.TopLevel actual = JsonScan.object(b);
        String text = new String(b, StandardCharsets.UTF_8);
        assertThat(actual == null).as("refused: %s", text).isEqualTo(expected == null);
        if (expected == null) {
            return;
        }
        for (String name : NAMES) {
            String decoded = name.replace("\\u0061", "a");
            assertThat(actual.has(decoded)).as("has %s in %s", decoded, text).isEqualTo(expected.fields.containsKey(decoded));
            assertThat(actual.hasObject(decoded)).as("hasObject %s in %s", decoded, text)
                    .isEqualTo(expected.fields.get(decoded) == JsonToken.START_OBJECT);
            assertThat(actual.hasArray(decoded)).as("hasArray %s in %s", decoded, text)
                    .isEqualTo(expected.fields.get(decoded) == JsonToken.START_ARRAY);
        }
        for (String path : PATHS) {
            assertThat(actual.usage(path)).as("usage %s in %s", path, text).isEqualTo(expected.usage(path));
        }
    }

    /** The Jackson implementation the scan replaced. */
    private record Reference(Map<String, JsonToken> fields, Map<String, Long> usage) {

        long usage(String path) {
            Long value = usage == null ? null : usage.get(path);
            return value == null ? -1 : value;
        }

        static Reference object(byte[] b) {
            if (!Utf8.valid(b, 0, b.length)) {
                return null;
            }
            try (JsonParser p = JsonScan.ANSWERS.createParser(b, 0, b.length)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                Map<String, JsonToken> fields = new HashMap<>();
                Map<String, Long> usage = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    fields.put(name, value);
                    if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
                        usage = new HashMap<>();
                        readCounts(p, "", usage, 1);
                    } else {
                        p.skipChildren();
                    }
                }
                if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                    return null;
                }
                return new Reference(fields, usage);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

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
    }

    @ParameterizedTest
    @ValueSource(strings = {"usage", "us\\u0061ge", "\\u0075sage", "usag", "usages", "Usage", "caf\u00e9", "caf\\u00e9",
        "caf\\u00E9", "cafe", "caf\u00e9s", "\\ud83d\\ude00", "\ud83d\ude00", "model", "", "us\\\\age"})
    void aNameMatchesExactlyWhenItsDecodedTextDoes(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        String decoded = JsonScan.decode(b, 0, b.length);

        for (String expected : List.of("usage", "caf\u00e9", "\ud83d\ude00", "model", "", "us\\age")) {
            assertThat(JsonScan.nameEquals(b, 0, b.length, expected)).as("%s against %s", raw, expected)
                    .isEqualTo(decoded.equals(expected));
        }
    }
}
