package dev.gearbox.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.cost.Usage;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiResponsesTranslatorTest {

    private static final dev.gearbox.providers.UpstreamTarget TARGET = dev.gearbox.providers.UpstreamTarget.post("/responses", dev.gearbox.providers.Authentication.NONE);

    private static final NativeRequest ORIGIN = new NativeRequest(WireFormat.OPENAI_RESPONSES,
            new JsonObject("{\"model\":\"gpt\",\"input\":\"hi\"}"), 30);

    @Test
    void sendsTheClientsBodyWithTheUpstreamModelToResponses() {
        OpenAiResponsesTranslator translator = OpenAiResponsesTranslator.of(ORIGIN, TARGET);

        assertThat(translator.target(null, null).pathAndQuery()).isEqualTo("/responses");
        assertThat(ORIGIN.toUpstream("gpt-5.4-2026").json())
                .isEqualTo(new JsonObject("{\"model\":\"gpt-5.4-2026\",\"input\":\"hi\"}"));
        assertThat(ORIGIN.body().getString("model")).isEqualTo("gpt");
    }

    @Test
    void aWholeResponseBecomesAChatCompletionWithItsUsage() {
        TranslatedAnswer answer = OpenAiResponsesTranslator.of(ORIGIN, TARGET)
                .answer(Buffer.buffer(Fixtures.text("responses/response-text.json")), "application/json");

        JsonObject completion = new JsonObject(answer.body());
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).startsWith("In a peaceful grove");
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(completion.getString("model")).isEqualTo("gpt-5.4");
        assertThat(answer.usage()).isEqualTo(new Usage(36, 0, 87, 0, false));
        assertThat(Usage.fromJson(completion.getValue("usage"))).isEqualTo(answer.usage());
    }

    @Test
    void aFunctionCallItemBecomesAToolCall() {
        JsonObject completion = new JsonObject(OpenAiResponsesTranslator.of(ORIGIN, TARGET)
                .answer(Buffer.buffer(Fixtures.text("responses/response-function-call.json")), "application/json").body());

        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
        assertThat(call.getString("id")).isEqualTo("call_unLAR8MvFNptuiZK6K6HCy5k");
        assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_current_weather");
        assertThat(call.getJsonObject("function").getString("arguments")).contains("Boston, MA");
    }

    @Test
    void refusesABodyThatIsNoResponse() {
        assertThatThrownBy(() -> OpenAiResponsesTranslator.of(ORIGIN, TARGET)
                .answer(Buffer.buffer(Fixtures.text("openai/error-429-rate-limit.json")), "application/json"))
                .isInstanceOfSatisfying(NotAnAnswer.class, e -> assertThat(e.code()).isEqualTo("error_in_200"));
    }

    @Test
    void aStreamBecomesChatChunksEndingInUsageAndDone() {
        List<String> events = new ArrayList<>();
        OpenAiResponsesTranslator translator = OpenAiResponsesTranslator.of(ORIGIN, TARGET);
        Buffer stream = Buffer.buffer(Fixtures.text("responses/response-stream.sse"));
        // Arbitrary cuts, as the network makes them.
        for (int at = 0; at < stream.length(); at += 97) {
            translator.feed(stream.slice(at, Math.min(stream.length(), at + 97)), e -> events.add(e.toString()));
        }

        assertThat(events).hasSize(5);
        JsonObject first = new JsonObject(events.get(0));
        assertThat(first.getString("object")).isEqualTo("chat.completion.chunk");
        assertThat(first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role")).isEqualTo("assistant");
        assertThat(new JsonObject(events.get(1)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("content")).isEqualTo("Hi");
        assertThat(new JsonObject(events.get(2)).getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
        assertThat(Usage.fromJson(new JsonObject(events.get(3)).getValue("usage"))).isEqualTo(new Usage(37, 0, 11, 0, false));
        assertThat(events.get(4)).isEqualTo("[DONE]");
    }

    @Test
    void aFailedResponseBecomesAnErrorEvent() {
        List<SseEvent> events = new ArrayList<>();
        String failed = "event: response.failed\ndata: " + Fixtures.json("responses/event-failed.json").encode() + "\n\n";

        OpenAiResponsesTranslator.of(ORIGIN, TARGET).feed(Buffer.buffer(failed), e -> events.add(new SseEvent(e.toBuffer().getBytes(), 0, e.length())));

        JsonObject error = new JsonObject(events.get(0).toBuffer()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("server_error");
        assertThat(error.getString("message")).isEqualTo("The model failed to generate a response.");
    }
}
