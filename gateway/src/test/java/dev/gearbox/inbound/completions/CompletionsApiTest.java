package dev.gearbox.inbound.completions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionsApiTest {

    @Test
    void theSpecsRequestBecomesOneUserMessage() {
        var request = CompletionsApi.create().parse(Buffer.buffer(Fixtures.text("completions/request.json")));

        assertThat(request.body()).isEqualTo(new JsonObject("""
                {"model":"VAR_completion_model_id","max_tokens":7,"temperature":0,
                 "messages":[{"role":"user","content":"Say this is a test"}]}"""));
        assertThat(request.nativeRequest()).hasValueSatisfying(n -> assertThat(n.format()).isEqualTo(WireFormat.OPENAI_COMPLETIONS));
    }

    @Test
    void withoutMaxTokensTheEndpointsDefaultOf16Applies() {
        var request = CompletionsApi.create().parse(Buffer.buffer("{\"model\":\"m\",\"prompt\":[\"hi\"],\"stream\":true}"));

        assertThat(request.body().getValue("max_tokens")).isEqualTo(16);
        assertThat(request.body().getJsonObject("stream_options").getValue("include_usage")).isEqualTo(true);
        assertThat(CompletionsToChat.clientWantsUsage(request.nativeRequest().orElseThrow().body())).isFalse();
    }

    @Test
    void aChatCompletionIsRenderedInTheShapeOfTheSpecsCompletion() {
        JsonObject spec = Fixtures.json("completions/completion.json");

        JsonObject completion = CompletionsApi.completion(Fixtures.json("openai/chat-completion.json"));

        assertThat(completion.fieldNames()).containsExactlyInAnyOrderElementsOf(spec.fieldNames());
        assertThat(completion.getString("object")).isEqualTo("text_completion");
        assertThat(completion.getString("id")).startsWith("cmpl-");
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.fieldNames()).containsExactlyInAnyOrderElementsOf(spec.getJsonArray("choices").getJsonObject(0).fieldNames());
        assertThat(choice.getString("text")).isEqualTo("The capital of France is Paris.");
        assertThat(completion.getJsonObject("usage").fieldNames()).containsAll(spec.getJsonObject("usage").fieldNames());
    }

    @Test
    void chatChunksAreRenderedInTheShapeOfTheSpecsChunk() {
        JsonObject spec = Fixtures.json("completions/completion-chunk.json");
        List<JsonObject> chunks = Arrays.stream(Fixtures.text("openai/chat-completion-stream.sse").split("\n\n"))
                .map(String::strip).filter(f -> f.startsWith("data: {")).map(f -> new JsonObject(f.substring(6))).toList();

        List<JsonObject> out = chunks.stream().map(c -> CompletionsApi.chunk(c, false)).filter(c -> c != null).toList();

        assertThat(out).isNotEmpty().allSatisfy(c -> assertThat(c.fieldNames()).containsExactlyInAnyOrderElementsOf(spec.fieldNames()));
        assertThat(out.get(out.size() - 1).getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
        assertThat(out).noneMatch(c -> c.containsKey("usage"));
        assertThat(chunks.stream().map(c -> CompletionsApi.chunk(c, true)).filter(c -> c != null && c.containsKey("usage")))
                .hasSize(chunks.stream().filter(c -> c.getValue("usage") instanceof JsonObject).toList().size());
    }

    @Test
    void refusesWhatChatCannotDoNamingTheField() {
        for (String[] bad : new String[][] {
                {"{\"model\":\"m\"}", "prompt"},
                {"{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}", "prompt"},
                {"{\"model\":\"m\",\"prompt\":[1,2,3]}", "prompt"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"echo\":true}", "echo"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"best_of\":3}", "best_of"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"logprobs\":2}", "logprobs"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"suffix\":\"end\"}", "suffix"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"max_tokens\":0}", "max_tokens"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"stream_options\":{}}", "stream_options"},
                {"{\"model\":\"m\",\"prompt\":\"a\",\"messages\":[]}", "messages"}}) {
            assertThatThrownBy(() -> CompletionsApi.create().parse(Buffer.buffer(bad[0]))).as(bad[0])
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo(bad[1]);
                    });
        }
        assertThat(CompletionsApi.create().parse(Buffer.buffer("{\"model\":\"m\",\"prompt\":\"a\",\"echo\":false,\"best_of\":1}"))
                .body().getJsonArray("messages")).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user").put("content", "a")));
    }
}
