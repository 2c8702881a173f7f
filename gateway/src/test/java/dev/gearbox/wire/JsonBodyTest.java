package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void buildsTheSameJsonAsVertx() {
        List<String> bodies = List.of(
                "{}",
                "{\"a\":1,\"b\":-2147483649,\"c\":123456789012345678901234567890,\"d\":1.5,\"e\":1e3,\"f\":-0,\"g\":0.1e-7}",
                "{\"s\":\"caf\\u00e9 \\\"quoted\\\" \\\\ \\n \\ud83d\\ude00 日本\",\"t\":true,\"f\":false,\"n\":null}",
                "{\"nested\":{\"list\":[1,[2,[3,{\"deep\":[]}]],{}],\"o\":{\"p\":{\"q\":\"r\"}}},\"empty\":[]}",
                " \n\t{ \"spaced\" : [ 1 , 2 ] , \"dup\" : 1 , \"dup\" : 2 } \n",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}");

        for (String body : bodies) {
            JsonObject ours = JsonBody.parse(Buffer.buffer(body)).json();
            JsonObject vertx = new JsonObject(Buffer.buffer(body));

            assertThat(ours).as(body).isEqualTo(vertx);
            assertThat(ours.encode()).as(body).isEqualTo(vertx.encode());
        }
    }

    @Test
    void notesWhereTheModelValueSitsInTheBytes() {
        String body = "{ \"messages\" : [ {\"model\":\"inner\"} ], \"model\" :\t\"é-model\" , \"x\": 1 }";

        JsonBody parsed = JsonBody.parse(Buffer.buffer(body));

        byte[] bytes = Buffer.buffer(body).getBytes();
        String value = new String(bytes, parsed.modelStart(), parsed.modelEnd() - parsed.modelStart(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(value).isEqualTo("\"é-model\"");
        assertThat(parsed.objectStart()).isZero();
        assertThat(parsed.spliceable()).isTrue();
        assertThat(parsed.hasStreamOptions()).isFalse();
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        for (String body : List.of("", "[1,2]", "\"text\"", "42", "{\"a\":1} {\"b\":2}", "{\"a\":", "{\"a\":1,}", "nul")) {
            assertThatThrownBy(() -> JsonBody.parse(Buffer.buffer(body)))
                    .as(body)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void refusesNestingDeeperThanJacksonAllowsWithoutOverflowingTheStack() {
        String deep = "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";

        assertThatThrownBy(() -> JsonBody.parse(Buffer.buffer(deep)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
