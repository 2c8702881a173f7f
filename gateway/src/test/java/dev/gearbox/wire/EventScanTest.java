package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cost.UsageEstimator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's one-pass check of an event against what it replaced: {@link JsonScan#object}'s verdict and
 * top-level kinds, and the text {@link UsageEstimator#appendGeneratedText} reads from the parsed event.
 */
class EventScanTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" capital\"},\"finish_reason\":null}]}",
        "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\",\"content\":\"say\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\\n\\u00e9\\\\\",\"content\":\"last\"}}]}",
        "{\"choices\":[{\"message\":{\"content\":\"m\"},\"delta\":{\"content\":\"d\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"d\"},\"message\":null}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"d\"},\"delta\":{\"content\":\"e\"}}]}",
        "{\"choices\":[{\"message\":{\"content\":\"m\"},\"message\":7,\"delta\":{\"content\":\"d\"}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\",\"name\":\"f\"}},"
                + "{\"function\":null},{\"function\":{\"name\":\"g\"},\"function\":{\"arguments\":\"x\"}}],\"content\":\"c\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"one\"}},{\"delta\":{\"content\":\"two\"}},3,[]]}",
        "{\"choices\":[{\"delta\":{\"content\":\"gone\"}}],\"choices\":[{\"delta\":{\"content\":\"kept\"}}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
        "{\"error\":{\"message\":\"no\"}}", "{\"error\":{\"message\":\"no\"},\"error\":\"string\"}",
        "{\"usage\":null,\"choices\":[{\"delta\":{\"content\":null,\"role\":\"assistant\"}}]}",
        "\uFEFF {\"choices\":[{\"delta\":{}}]} ", "{}"})
    void readsWhatTheParsedEventHolds(String text) {
        assertSame(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"choices\":[{\"delta\":{\"content\":\"a\"}]}", "{\"choices\":[{\"delta\":"
            + "{\"content\":\"a\",}}]}", "{\"a\":1}x", "{\"choices\":[{\"delta\":{\"content\":\"\u0001\"}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":tru}}]}}]}"})
    void refusesWhatTheScanRefusesAndKeepsNoTextOfIt(String text) {
        Transcript transcript = new Transcript();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertThat(EventScan.check(b, 0, b.length, transcript)).isEqualTo(EventScan.INVALID);
        assertThat(JsonScan.object(b)).isNull();
        assertThat(transcript.length()).isZero();
    }

    @Test
    void agreesOnRandomChunks() {
        SplittableRandom random = new SplittableRandom(30);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder out = new StringBuilder("{");
            int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++) {
                String name = List.of("choices", "usage", "error", "id").get(random.nextInt(4));
                out.append('"').append(name).append("\":").append(name.equals("choices") ? choices(random) : value(random, 2))
                        .append(',');
            }
            out.append("\"object\":\"chat.completion.chunk\"}");
            String text = out.toString();
            if (random.nextInt(10) == 0) {
                // A mutation: cut short, or a byte changed.
                int at = random.nextInt(text.length());
                text = random.nextBoolean() ? text.substring(0, at) : text.substring(0, at) + "}" + text.substring(at + 1);
            }
            assertSame(text);
        }
    }

    private static String choices(SplittableRandom random) {
        StringBuilder out = new StringBuilder("[");
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.append(i > 0 ? "," : "").append('{');
            int keys = random.nextInt(4);
            for (int k = 0; k < keys; k++) {
                String key = List.of("delta", "message", "index", "finish_reason").get(random.nextInt(4));
                out.append(k > 0 ? "," : "").append('"').append(key).append("\":")
                        .append(key.equals("delta") || key.equals("message") ? part(random) : value(random, 2));
            }
            out.append('}');
        }
        return out.append(']').toString();
    }

    private static String part(SplittableRandom random) {
        if (random.nextInt(6) == 0) {
            return value(random, 1);
        }
        StringBuilder out = new StringBuilder("{");
        int keys = random.nextInt(5);
        for (int k = 0; k < keys; k++) {
            String key = List.of("content", "reasoning_content", "tool_calls", "role", "content").get(random.nextInt(5));
            out.append(k > 0 ? "," : "").append('"').append(key).append("\":");
            if (key.equals("tool_calls")) {
                out.append('[');
                int calls = random.nextInt(3);
                for (int c = 0; c < calls; c++) {
                    out.append(c > 0 ? "," : "").append("{\"index\":").append(c).append(",\"function\":")
                            .append(random.nextInt(5) == 0 ? "null" : "{\"name\":" + text(random) + ",\"arguments\":"
                                    + (random.nextInt(4) == 0 ? "3" : text(random)) + "}").append('}');
                }
                out.append(']');
            } else {
                out.append(random.nextInt(5) == 0 ? value(random, 1) : text(random));
            }
        }
        return out.append('}').toString();
    }

    private static String text(SplittableRandom random) {
        return List.of("\"\"", "\"a\"", "\" word\"", "\"caf\u00e9\"", "\"\\n\\t\\\"\"", "\"\\ud83d\\ude00 \"", "\"\\\\\"")
                .get(random.nextInt(7));
    }

    private static String value(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> "null";
            case 1 -> "12";
            case 2 -> "-0.5e3";
            case 3 -> text(random);
            case 4 -> "true";
            case 5 -> "{\"prompt_tokens\":3,\"x\":" + value(random, depth - 1) + "}";
            default -> "[" + value(random, depth - 1) + "," + value(random, depth - 1) + "]";
        };
    }

    private static void assertSame(String text) {
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        int length = b.length - 4;
        Transcript transcript = new Transcript();
        int kinds = EventScan.check(b, 2, length, transcript);
        JsonScan.TopLevel top = JsonScan.object(b, 2, length);
        assertThat(kinds == EventScan.INVALID).as(text).isEqualTo(top == null);
        if (top == null) {
            return;
        }
        assertThat((kinds & EventScan.ERROR) != 0).as(text).isEqualTo(top.hasObject("error"));
        assertThat((kinds & EventScan.USAGE) != 0).as(text).isEqualTo(top.hasObject("usage"));
        StringBuilder expected = new StringBuilder();
        UsageEstimator.appendGeneratedText(new JsonObject(text.strip().replace("\uFEFF", "")), expected);
        assertThat(transcript.text()).as(text).isEqualTo(expected.toString());
    }
}
