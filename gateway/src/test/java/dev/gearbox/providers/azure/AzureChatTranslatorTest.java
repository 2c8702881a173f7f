package dev.gearbox.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.openai.OpenAiReasoningModelQuirk;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureChatTranslatorTest {

    private static final UpstreamTarget DEPLOYMENT = UpstreamTarget.post("/openai/deployments/gpt-4o-mini/chat/completions",
            Authentication.NONE).withQuery("api-version=2024-10-21");
    private static final AzureChatTranslator TRANSLATOR = new AzureChatTranslator(CanonicalTranslator.of(DEPLOYMENT, List.of()));

    @Test
    void aPromptTheContentFilterRefusedIsTheClients400NamingWhatWasFiltered() {
        ProviderError error = TRANSLATOR.error(400, Buffer.buffer(Fixtures.text("azure/error-400-content-filter.json")));

        assertThat(error.code()).isEqualTo("content_filter");
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.param()).isEqualTo("prompt");
        assertThat(error.message()).startsWith("The response was filtered due to the prompt")
                .endsWith("(filtered: hate high, violence medium)");
    }

    @Test
    void otherErrorsAreReadInOpenAisShape() {
        assertThat(TRANSLATOR.error(429, Buffer.buffer(Fixtures.text("azure/error-429-rate-limit.json"))).message())
                .contains("exceeded token rate limit");
    }

    @Test
    void aCompletionIsRelayedWithItsFilterResultsAndItsCachedTokens() {
        TranslatedAnswer answer = TRANSLATOR.answer(Buffer.buffer(Fixtures.text("azure/chat-completion.json")), "application/json");

        assertThat(new JsonObject(answer.body()).getJsonArray("prompt_filter_results")).hasSize(1);
        assertThat(answer.usage()).isEqualTo(new Usage(1280, 1024, 13, 0, false));
    }

    @Test
    void aFilteredCompletionSaysSo() {
        TranslatedAnswer answer = TRANSLATOR.answer(Buffer.buffer(Fixtures.text("azure/chat-completion-filtered.json")),
                "application/json");

        JsonObject choice = new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("content_filter");
        assertThat(choice.getJsonObject("content_filter_results").getJsonObject("violence").getBoolean("filtered")).isTrue();
    }

    @Test
    void theStreamsFilterChunkPassesAndItsUsageChunkIsThere() {
        List<String> events = new ArrayList<>();
        byte[] bytes = Buffer.buffer(Fixtures.text("azure/chat-completion-stream.sse")).getBytes();
        for (int i = 0; i < bytes.length; i += 31) {
            TRANSLATOR.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(31, bytes.length - i)), e -> events.add(e.toString()));
        }

        assertThat(events.get(0)).contains("prompt_filter_results");
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        assertThat(Usage.fromJson(new JsonObject(events.get(events.size() - 2)).getJsonObject("usage")))
                .isEqualTo(new Usage(1280, 1024, 13, 0, false));
    }

    @Test
    void aReasoningDeploymentGetsTheRoutesEffortAndItsLimitAsReasoningModelsTakeIt() {
        AzureChatTranslator reasoning = new AzureChatTranslator(CanonicalTranslator.of(DEPLOYMENT,
                List.of(new OpenAiReasoningModelQuirk()::apply)));
        ChatRequest request = ChatRequest.parse(Buffer.buffer(
                "{\"model\":\"o3-mini\",\"max_tokens\":500,\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        JsonObject sent = reasoning.request(request.withRoutedEffort("low"), ModelConfig.of("o3-mini", "azure").withUpstream("my-o3-mini")).json();

        assertThat(sent.getString("reasoning_effort")).isEqualTo("low");
        assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(500);
        assertThat(sent.containsKey("temperature")).isFalse();
        assertThat(sent.getString("model")).isEqualTo("my-o3-mini");
    }
}
