package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The upstream body of a scanned chat request is the client's bytes: each field the gateway must change
 * (model, stream_options.include_usage, reasoning_effort, the output limit) is changed, and every other byte
 * is the one the client sent, its spacing, key order, number spelling and escapes included.
 */
class ChatSpliceTest {

    /** Odd spacing, escapes, a nested "model" and number spellings a re-encoding would change. */
    private static final String MESSAGES = "\"messages\" :\n [ {\"role\":\"user\",\"content\":\"a \\\"model\\\": \\u00e9 }\"} ]";

    private static String upstream(ChatRequest request, String model) {
        return request.toUpstream(model).bytes().toString();
    }

    @Test
    void replacesTheStreamOptionsInPlaceWhenTheClientTurnedUsageOff() {
        String body = "{ \"stream\" : true , \"stream_options\" : {\"include_usage\":false, \"x\":1}, " + MESSAGES
                + ", \"top_p\": 1.00 }";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)), "m");

        assertThat(sent).isEqualTo("{\"model\":\"m\"," + body.substring(1)
                .replace("{\"include_usage\":false, \"x\":1}", "{\"include_usage\":true,\"x\":1}"));
    }

    @Test
    void leavesTheStreamOptionsAsWrittenWhenTheClientAskedForUsage() {
        String body = "{\"model\":\"auto\", \"stream\":true, \"stream_options\": { \"include_usage\" : true }, " + MESSAGES + "}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)), "gpt-4o-mini");

        assertThat(sent).isEqualTo(body.replace("\"auto\"", "\"gpt-4o-mini\""));
    }

    @Test
    void escapesAModelIdThatJsonMustEscape() {
        String body = "{\"model\":\"auto\", " + MESSAGES + "}";
        String odd = "we\"ird\\model\u0001\u00e9";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)), odd);

        assertThat(new JsonObject(sent).getString("model")).isEqualTo(odd);
        assertThat(sent).isEqualTo(body.replace("\"auto\"", "\"we\\\"ird\\\\model\\u0001\u00e9\""));
    }

    @Test
    void replacesTheClientsEffortWithTheRoutedOneWhereItWasWritten() {
        String body = "{\"model\":\"auto\", \"reasoning_effort\" : \"high\", " + MESSAGES + "}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)).withRoutedEffort("low"), "o3");

        assertThat(sent).isEqualTo(body.replace("\"auto\"", "\"o3\"").replace("\"high\"", "\"low\""));
    }

    @Test
    void putsTheRoutedEffortFirstWhenTheClientSentNone() {
        String body = "{\"model\":\"auto\", " + MESSAGES + "}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)).withRoutedEffort("low"), "o3");

        assertThat(sent).isEqualTo("{\"reasoning_effort\":\"low\"," + body.substring(1).replace("\"auto\"", "\"o3\""));
    }

    @Test
    void setsTheGatewaysOutputLimitAndDropsAClientsNullLimit() {
        String body = "{\"model\":\"auto\", \"max_completion_tokens\" : null , " + MESSAGES + ", \"seed\":7}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)).withOutputLimit(64), "m");

        assertThat(sent).isEqualTo("{\"max_tokens\":64," + body.substring(1).replace("\"auto\"", "\"m\"")
                .replace("\"max_completion_tokens\" : null , ", ""));
        assertThat(new JsonObject(sent).getInteger("max_tokens")).isEqualTo(64);
    }

    @Test
    void removesANullLimitWrittenLastWithTheCommaBeforeIt() {
        String body = "{" + MESSAGES + ", \"max_completion_tokens\" : null}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)).withOutputLimit(8), "m");

        assertThat(sent).isEqualTo("{\"model\":\"m\",\"max_tokens\":8," + MESSAGES + "}");
    }

    @Test
    void replacesANullLimitInPlace() {
        String body = "{" + MESSAGES + ", \"max_tokens\": null}";

        String sent = upstream(ChatRequest.parse(Buffer.buffer(body)).withOutputLimit(8), "m");

        assertThat(sent).isEqualTo("{\"model\":\"m\"," + MESSAGES + ", \"max_tokens\": 8}");
    }

    @Test
    void splicesABodyWhoseNumbersOnlyTheTreeParserMayJudge() {
        String body = "{\"model\":\"auto\", " + MESSAGES + ", \"temperature\": 5E-1, \"x\": 1e300}";

        ChatRequest request = ChatRequest.parse(Buffer.buffer(body));

        assertThat(upstream(request, "m")).isEqualTo(body.replace("\"auto\"", "\"m\""));
        assertThat(request.field("temperature")).isEqualTo(0.5);
    }

    @Test
    void readsTheSameValuesFromTheBytesAsFromTheTree() {
        String body = "{\"model\":\"auto\", " + MESSAGES + ", \"n\": 2, \"seed\": 12345678901, \"metadata\":{\"k\":[1,\"v\"]},"
                + " \"user\":\"u\\u0041\", \"temperature\":0.0, \"stream\":false, \"tools\":[]}";

        ChatRequest scanned = ChatRequest.parse(Buffer.buffer(body));
        JsonObject tree = new JsonObject(body);

        for (String field : tree.fieldNames()) {
            assertThat(scanned.field(field)).as(field).isEqualTo(tree.getValue(field));
        }
        assertThat(scanned.view().role(0)).isEqualTo("user");
        assertThat(scanned.view().content(0)).isEqualTo("a \"model\": \u00e9 }");
    }
}
