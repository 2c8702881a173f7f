package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.WebSearchTool;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official OpenAI Java SDK's Responses API against the simulated models, through the real server. */
@Timeout(60)
class ResponsesSdkIT {

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig(""));
        client = gateway.sdk();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void answersAPlainResponseWithUsage() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("auto")
                .instructions("Be brief.").input("What is the capital of France?").build());

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
        assertThat(response.model().asString()).isEqualTo("sim-cheap");
        assertThat(text(response)).contains("capital of France");
        assertThat(response.instructions()).isPresent();
        assertThat(response.usage()).hasValueSatisfying(u -> {
            assertThat(u.inputTokens()).isPositive();
            assertThat(u.outputTokens()).isPositive();
            assertThat(u.totalTokens()).isEqualTo(u.inputTokens() + u.outputTokens());
            assertThat(u.inputTokensDetails().cachedTokens()).isZero();
        });
    }

    @Test
    void streamedDeltasAssembleToTheCompletedText() {
        ResponseCreateParams params = ResponseCreateParams.builder().model("cheap")
                .input("Explain what an LLM gateway does").build();
        String whole = text(client.responses().create(params));

        StringBuilder deltas = new StringBuilder();
        Response[] completed = {null};
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
                event.completed().ifPresent(c -> completed[0] = c.response());
            });
        }

        assertThat(deltas.toString()).isEqualTo(whole);
        assertThat(text(completed[0])).isEqualTo(whole);
        assertThat(completed[0].usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isPositive());
    }

    @Test
    void streamsTypedEventsInOrderWithSequenceNumbers() {
        HttpResponse<String> response = gateway.post("/v1/responses",
                "{\"model\":\"cheap\",\"input\":\"Say hello\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> types = new ArrayList<>();
        String[] frames = response.body().split("\n\n");
        for (int i = 0; i < frames.length; i++) {
            String[] lines = frames[i].split("\n");
            assertThat(lines[0]).startsWith("event: ");
            JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
            assertThat(data.getString("type")).isEqualTo(lines[0].substring("event: ".length()));
            assertThat(data.getInteger("sequence_number")).isEqualTo(i);
            types.add(data.getString("type"));
        }
        assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added");
        assertThat(types.subList(types.size() - 4, types.size())).containsExactly("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(types.subList(4, types.size() - 4)).isNotEmpty().allMatch("response.output_text.delta"::equals);
    }

    record City(String name, String country, long population) {
    }

    @Test
    void structuredOutputFollowsTheJsonSchema() {
        StructuredResponse<City> response = client.responses().create(ResponseCreateParams.builder().model("cheap")
                .input("Name a large city").text(City.class).build());

        City city = response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream()).findFirst().orElseThrow();
        assertThat(city.name()).isNotNull();
        assertThat(city.country()).isNotNull();
    }

    @Test
    void completesAFunctionToolRoundTrip() {
        FunctionTool weather = FunctionTool.builder().name("get_weather").strict(true)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build();
        ResponseCreateParams first = ResponseCreateParams.builder().model("auto")
                .input("What is the weather in Paris?").addTool(weather).build();

        Response call = client.responses().create(first);
        ResponseFunctionToolCall toolCall = call.output().get(0).asFunctionCall();
        assertThat(toolCall.name()).isEqualTo("get_weather");
        assertThat(new JsonObject(toolCall.arguments()).getValue("city")).isInstanceOf(String.class);
        assertThat(toolCall.callId()).isNotBlank();

        List<ResponseInputItem> input = List.of(
                ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                        .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                        .content("What is the weather in Paris?").build()),
                ResponseInputItem.ofFunctionCall(toolCall),
                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(toolCall.callId()).output("18C, sunny").build()));
        Response answer = client.responses().create(first.toBuilder().inputOfResponse(input).build());

        assertThat(answer.output()).hasSize(1);
        assertThat(text(answer)).isNotBlank();
        assertThat(answer.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
    }

    @Test
    void refusesABuiltInToolNamingTheField() {
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("auto")
                .input("news today?").addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("web_search"));

        HttpResponse<String> raw = gateway.post("/v1/responses",
                "{\"model\":\"auto\",\"input\":\"hi\",\"tools\":[{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"]}]}");
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(raw.body()).getJsonObject("error").getString("param")).isEqualTo("tools[0].type");
    }

    @Test
    void eachMalformedFieldIsA400NamingIt() {
        Map<String, String> bodies = Map.ofEntries(
                Map.entry("{\"model\":\"auto\"}", "input"),
                Map.entry("{\"model\":\"auto\",\"input\":5}", "input"),
                Map.entry("{\"model\":\"auto\",\"input\":[]}", "input"),
                Map.entry("{\"model\":7,\"input\":\"hi\"}", "model"),
                Map.entry("{\"model\":\"auto\",\"input\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "input[0].role"),
                Map.entry("{\"model\":\"auto\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}", "input[0].type"),
                Map.entry("{\"model\":\"auto\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}",
                        "input[0].content[0].type"),
                Map.entry("{\"model\":\"auto\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}",
                        "input[0].call_id"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"instructions\":[1]}", "instructions"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"max_output_tokens\":0}", "max_output_tokens"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"temperature\":3}", "temperature"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"stream\":\"yes\"}", "stream"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"store\":1}", "store"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"metadata\":{\"a\":1}}", "metadata.a"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"yaml\"}}}", "text.format.type"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}",
                        "text.format.schema"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"max\"}}", "reasoning.effort"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"tool_choice\":\"sometimes\"}", "tool_choice"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"tools\":{}}", "tools"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\"}]}", "tools[0].name"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"background\":true}", "background"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"top_logprobs\":3}", "top_logprobs"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"previous_response_id\":3}", "previous_response_id"),
                Map.entry("{\"model\":\"auto\",\"input\":\"hi\",\"frobnicate\":true}", "frobnicate"));
        Map<String, String> params = bodies.keySet().stream().collect(Collectors.toMap(body -> body, body -> {
            HttpResponse<String> response = gateway.post("/v1/responses", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            return String.valueOf(new JsonObject(response.body()).getJsonObject("error").getValue("param"));
        }));

        assertThat(params).isEqualTo(bodies);
    }

    @Test
    void garbageBodiesGetA400NeverA500() {
        for (String body : List.of("", "[]", "{", "null", "{\"input\":[null]}",
                "{\"input\":[{}]}", "{\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[null]}]}",
                "{\"input\":\"hi\",\"text\":[]}", "{\"input\":\"hi\",\"reasoning\":\"high\"}", "{\"input\":\"hi\",\"top_p\":1e999}")) {
            HttpResponse<String> response = gateway.post("/v1/responses", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).as(body).isNotBlank();
        }
    }

    static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
                .map(ResponseOutputText::text).collect(Collectors.joining());
    }
}
