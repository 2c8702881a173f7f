package dev.gearbox.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cost.Usage;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiCompletionsTranslatorTest {

    private static final dev.gearbox.providers.UpstreamTarget TARGET = dev.gearbox.providers.UpstreamTarget.post("/completions", dev.gearbox.providers.Authentication.NONE);

    private static final NativeRequest ORIGIN = new NativeRequest(WireFormat.OPENAI_COMPLETIONS,
            Fixtures.json("completions/request.json"), 90);

    @Test
    void aTextCompletionBecomesAChatCompletionWithItsUsage() {
        OpenAiCompletionsTranslator translator = OpenAiCompletionsTranslator.of(ORIGIN, TARGET);

        var answer = translator.answer(Buffer.buffer(Fixtures.text("completions/completion.json")), "application/json");

        assertThat(translator.target(null, null).pathAndQuery()).isEqualTo("/completions");
        JsonObject choice = new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("\n\nThis is indeed a test");
        assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
        assertThat(choice.getString("finish_reason")).isEqualTo("length");
        assertThat(answer.usage()).isEqualTo(new Usage(5, 0, 7, 0, false));
    }

    @Test
    void aTextCompletionChunkBecomesAChatChunkAndDoneStaysDone() {
        List<String> events = new ArrayList<>();
        String stream = "data: " + Fixtures.json("completions/completion-chunk.json").encode() + "\n\ndata: [DONE]\n\n";

        OpenAiCompletionsTranslator.of(ORIGIN, TARGET).feed(Buffer.buffer(stream), e -> events.add(e.toString()));

        JsonObject chunk = new JsonObject(events.get(0));
        assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
        assertThat(chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content")).isEqualTo("This");
        assertThat(events.get(1)).isEqualTo("[DONE]");
    }
}
