package dev.gearbox.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JudgeTest {

    private static final JsonObject REQUEST = new JsonObject()
            .put("messages", new JsonArray()
                    .add(new JsonObject().put("role", "system").put("content", "Answer briefly."))
                    .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                            .add(new JsonObject().put("type", "text").put("text", "Is 91 prime?")))))
            .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
                    .put("function", new JsonObject().put("name", "factor"))));

    @Test
    void asksForAJsonSchemaVerdictOnTheRequestAndBothAnswersVerbatim() {
        JsonObject request = Judge.request("judge-model", REQUEST, "Yes, 91 is prime.", "No: 91 = 7 × 13.");

        assertThat(request.getString("model")).isEqualTo("judge-model");
        assertThat(request.getInteger("temperature")).isZero();
        JsonArray messages = request.getJsonArray("messages");
        assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
        assertThat(messages.getJsonObject(0).getString("content"))
                .startsWith("You compare two answers to the same request").contains("{\"winner\": \"tie\"}");
        assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("""
                [Request]
                system: Answer briefly.

                user: Is 91 prime?

                tools offered: [{"type":"function","function":{"name":"factor"}}]

                [A]
                Yes, 91 is prime.

                [B]
                No: 91 = 7 × 13.""");
        JsonObject format = request.getJsonObject("response_format");
        assertThat(format.getString("type")).isEqualTo("json_schema");
        assertThat(format.getJsonObject("json_schema").getJsonObject("schema")).isEqualTo(new JsonObject("""
                {"type": "object", "properties": {"winner": {"type": "string", "enum": ["A", "B", "tie"]}},
                 "required": ["winner"], "additionalProperties": false}"""));
    }

    @Test
    void readsTheVerdictsJudgesRecordedAnswersGive() {
        assertThat(Judge.read(Fixtures.json("judge/winner-a.json"))).isEqualTo(Judge.Winner.A);
        assertThat(Judge.read(Fixtures.json("judge/winner-b.json"))).isEqualTo(Judge.Winner.B);
        assertThat(Judge.read(Fixtures.json("judge/winner-tie.json"))).isEqualTo(Judge.Winner.TIE);
        assertThat(Judge.read(Fixtures.json("judge/reasoning-judge-b.json"))).isEqualTo(Judge.Winner.B);
        assertThat(Judge.read(Fixtures.json("judge/fenced-tie.json"))).isEqualTo(Judge.Winner.TIE);
    }

    @Test
    void findsNoVerdictInARefusalOrInProse() {
        assertThatThrownBy(() -> Judge.read(Fixtures.json("judge/refusal.json")))
                .hasMessage("the judge gave no verdict: I'm sorry, I can't help with comparing these.");
        assertThatThrownBy(() -> Judge.read(Fixtures.json("judge/prose.json")))
                .hasMessage("the judge gave no verdict: Answer A is more complete, so A wins.");
        assertThatThrownBy(() -> Judge.read(new JsonObject().put("choices", new JsonArray().add(new JsonObject()
                .put("message", new JsonObject().put("content", "{\"winner\": \"C\"}"))))))
                .hasMessage("winner: C (expected: A, B or tie)");
        assertThatThrownBy(() -> Judge.read(new JsonObject())).hasMessage("the judge's answer has no message");
    }

    @Test
    void readsAnAnswerAsItsTextItsRefusalOrTheToolCallsItMade() {
        assertThat(Judge.answer(new JsonObject().put("content", "91 = 7 × 13").put("reasoning_content", "thinking...")))
                .isEqualTo("91 = 7 × 13");
        assertThat(Judge.answer(new JsonObject().putNull("content").put("tool_calls", new JsonArray().add(new JsonObject()
                .put("id", "call_1").put("type", "function").put("function", new JsonObject().put("name", "factor")
                        .put("arguments", "{\"n\":91}"))))))
                .isEqualTo("(calls tool factor with arguments {\"n\":91})");
        assertThat(Judge.answer(new JsonObject().putNull("content").put("refusal", "I can't.")))
                .isEqualTo("(refused) I can't.");
    }
}
