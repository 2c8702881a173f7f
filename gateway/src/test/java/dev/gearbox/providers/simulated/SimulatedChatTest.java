package dev.gearbox.providers.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.SimulationConfig;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SimulatedChatTest {

    private final TokenCounter tokens = TokenCounter.shared();
    private final SimulatedChat chat = new SimulatedChat(tokens);
    private final SimulationConfig cheap = new SimulationConfig(0L, 0L, false, 60, null, null);
    private final SimulationConfig reasoning = new SimulationConfig(0L, 0L, true, 60, null, null);

    @Test
    void answersTheSamePromptWithTheSameText() {
        SimulatedAnswer first = chat.answer(request("Explain caching"), cheap);
        SimulatedAnswer second = chat.answer(request("Explain caching"), cheap);
        SimulatedAnswer other = chat.answer(request("Explain routing"), cheap);

        assertThat(first).isEqualTo(second);
        assertThat(other.choices().get(0).content()).isNotEqualTo(first.choices().get(0).content());
        assertThat(first.choices().get(0).content()).contains("Explain caching");
    }

    @Test
    void reportsHonestTokenCounts() {
        JsonObject body = request("How do tokenizers split words?");
        SimulatedAnswer answer = chat.answer(body, cheap);

        assertThat(answer.completionTokens()).isEqualTo(tokens.count(answer.choices().get(0).content()));
        assertThat(answer.promptTokens()).isEqualTo(tokens.countMessages(body.getJsonArray("messages")));
        assertThat(answer.reasoningTokens()).isZero();
    }

    @Test
    void aReasoningModelThinksAndCountsItsThinking() {
        SimulatedAnswer answer = chat.answer(request("Prove that there are infinitely many primes"), reasoning);
        SimulatedAnswer.Choice choice = answer.choices().get(0);

        assertThat(choice.reasoning()).isNotBlank();
        assertThat(answer.reasoningTokens()).isEqualTo(tokens.count(choice.reasoning())).isPositive();
        assertThat(answer.completionTokens()).isEqualTo(answer.reasoningTokens() + tokens.count(choice.content()));
    }

    @Test
    void stopsAtTheTokenLimit() {
        SimulatedAnswer answer = chat.answer(request("Write a long essay").put("max_tokens", 5), cheap);

        assertThat(answer.completionTokens()).isEqualTo(5);
        assertThat(answer.choices().get(0).finishReason()).isEqualTo("length");
    }

    @Test
    void callsTheRequestedToolWithArgumentsThatFitItsSchema() {
        JsonObject function = new JsonObject().put("name", "get_weather").put("parameters", new JsonObject()
                .put("type", "object")
                .put("properties", new JsonObject()
                        .put("city", new JsonObject().put("type", "string"))
                        .put("unit", new JsonObject().put("type", "string").put("enum", new JsonArray().add("c").add("f")))
                        .put("days", new JsonObject().put("type", "integer")))
                .put("required", new JsonArray().add("city")));
        JsonObject body = request("Weather in Paris?").put("tools",
                new JsonArray().add(new JsonObject().put("type", "function").put("function", function)));

        SimulatedAnswer.Choice choice = chat.answer(body, cheap).choices().get(0);

        assertThat(choice.finishReason()).isEqualTo("tool_calls");
        assertThat(choice.content()).isNull();
        assertThat(choice.toolCall().name()).isEqualTo("get_weather");
        JsonObject arguments = new JsonObject(choice.toolCall().arguments());
        assertThat(arguments.getString("city")).isNotBlank();
        assertThat(arguments.getString("unit")).isIn("c", "f");
        assertThat(arguments.getInteger("days")).isPositive();
    }

    @Test
    void answersInTextAfterAToolResult() {
        JsonObject body = request("Weather in Paris?");
        body.getJsonArray("messages")
                .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
                        .add(new JsonObject().put("id", "call_1").put("type", "function")
                                .put("function", new JsonObject().put("name", "get_weather").put("arguments", "{}")))))
                .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "18C"));
        body.put("tools", new JsonArray().add(new JsonObject().put("type", "function")
                .put("function", new JsonObject().put("name", "get_weather"))));

        SimulatedAnswer.Choice choice = chat.answer(body, cheap).choices().get(0);

        assertThat(choice.toolCall()).isNull();
        assertThat(choice.finishReason()).isEqualTo("stop");
    }

    @Test
    void jsonModeAnswersWithJson() {
        SimulatedAnswer.Choice object = chat.answer(request("List facts").put("response_format",
                new JsonObject().put("type", "json_object")), cheap).choices().get(0);
        SimulatedAnswer.Choice schema = chat.answer(request("A person").put("response_format",
                new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject().put("name", "p")
                        .put("schema", new JsonObject().put("type", "object").put("properties", new JsonObject()
                                .put("name", new JsonObject().put("type", "string"))
                                .put("age", new JsonObject().put("type", "integer")))))), cheap).choices().get(0);

        assertThat(new JsonObject(object.content()).getString("answer")).isNotBlank();
        assertThat(new JsonObject(schema.content()).fieldNames()).containsExactlyInAnyOrder("name", "age");
    }

    @Test
    void givesNChoicesAndHonoursStopSequences() {
        SimulatedAnswer answer = chat.answer(request("Compare two things").put("n", 3).put("stop", "."), cheap);

        assertThat(answer.choices()).hasSize(3);
        assertThat(answer.choices()).allSatisfy(c -> assertThat(c.content()).doesNotContain("."));
    }

    @Test
    void streamPiecesKeepEveryCharacter() {
        String text = "One two three four five, six.";

        assertThat(String.join("", SimulatedProvider.pieces(text))).isEqualTo(text);
        assertThat(SimulatedProvider.pieces(text)).hasSizeGreaterThan(1);
    }

    private static JsonObject request(String prompt) {
        return new JsonObject().put("model", "sim").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", prompt)));
    }
}
