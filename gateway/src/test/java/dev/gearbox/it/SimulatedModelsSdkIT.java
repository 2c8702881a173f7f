package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.gearbox.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official OpenAI Java SDK against the embedded default: the newcomer's first experience. */
@Timeout(60)
class SimulatedModelsSdkIT {

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = TestGateway.embeddedDefault();
        client = gateway.sdk();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void answersAPlainCompletion() {
        ChatCompletion completion = client.chat().completions().create(params("auto", "What is the capital of France?"));

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).contains("capital of France"));
        assertThat(completion.model()).isEqualTo("sim-cheap");
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isPositive();
            assertThat(u.completionTokens()).isPositive();
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
    }

    @Test
    void streamedTextEqualsNonStreamedText() {
        ChatCompletionCreateParams params = params("cheap", "Explain what an LLM gateway does");
        String whole = client.chat().completions().create(params).choices().get(0).message().content().orElseThrow();

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }

        assertThat(streamed.toString()).isEqualTo(whole);
    }

    @Test
    void streamReportsUsageWhenAskedAndReasoningTokensOfTheReasoningModel() {
        ChatCompletionCreateParams params = params("reasoning", "Prove that the square root of 2 is irrational").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .maxCompletionTokens(60)
                .build();
        StringBuilder reasoning = new StringBuilder();
        long[] reasoningTokens = {-1};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    JsonValue r = c.delta()._additionalProperties().get("reasoning_content");
                    if (r != null && r.asString().isPresent()) {
                        reasoning.append(r.asString().get());
                    }
                });
                chunk.usage().ifPresent(u -> reasoningTokens[0] = u.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
            });
        }

        assertThat(reasoning.toString()).startsWith("Let me think");
        assertThat(reasoningTokens[0]).isPositive();
    }

    @Test
    void completesAToolCallRoundTrip() {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("auto")
                .addUserMessage("What is the weather in Paris?").addFunctionTool(weather).build();

        ChatCompletion call = client.chat().completions().create(first);
        ChatCompletionMessage message = call.choices().get(0).message();
        ChatCompletionMessageFunctionToolCall toolCall = message.toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
        assertThat(toolCall.function().name()).isEqualTo("get_weather");
        assertThat(toolCall.function().arguments()).contains("\"city\"");

        ChatCompletion answer = client.chat().completions().create(first.toBuilder()
                .addMessage(message)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id()).content("18C, sunny").build())
                .build());

        assertThat(answer.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(answer.choices().get(0).message().content()).isPresent();
    }

    @Test
    void unknownModelRaisesTheSdksNotFoundException() {
        assertThatThrownBy(() -> client.chat().completions().create(params("gpt-9-ultra", "hi")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("gpt-9-ultra");
                });
    }

    @Test
    void listsModelsAndAliases() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).containsExactly("sim-cheap", "sim-reasoning", "sim-embed", "sim-moderation", "auto", "cheap", "reasoning");
        assertThat(client.models().retrieve("reasoning").id()).isEqualTo("reasoning");
        assertThatThrownBy(() -> client.models().retrieve("nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void createsEmbeddingsWithTheDefaultEmbeddingModel() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("sim-embed").input("hello world").build());

        List<Float> vector = response.data().get(0).embedding();
        assertThat(vector).hasSize(256);
        double norm = vector.stream().mapToDouble(f -> f * f).sum();
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(response.usage().promptTokens()).isEqualTo(2);
    }

    private static ChatCompletionCreateParams params(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build();
    }
}
