package dev.gearbox.providers.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class VertexClaudeTranslatorTest {

    private static final String PATH = "/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514";
    private static final VertexClaudeTranslator TRANSLATOR = new VertexClaudeTranslator(
            UpstreamTarget.post(PATH + ":rawPredict", Authentication.NONE),
            UpstreamTarget.post(PATH + ":streamRawPredict", Authentication.NONE), 0);
    private static final ModelConfig SONNET = new ModelConfig("claude-sonnet-4", "vertex", "claude-sonnet-4@20250514",
            null, null, null, null, null, null, null, null, null, 100);

    @Test
    void sendsTheMessagesBodyAsVertexTakesItWithoutTheModelAndWithItsVersion() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer(
                "{\"model\":\"claude-sonnet-4\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hey Claude!\"}]}"));

        assertThat(TRANSLATOR.request(request, SONNET).json()).isEqualTo(Fixtures.json("vertex/claude-raw-predict.json"));
        assertThat(TRANSLATOR.target(request, SONNET).pathAndQuery()).isEqualTo(PATH + ":streamRawPredict");
    }

    @Test
    void readsVertexsOwnErrorsInGooglesShapeAndTheModelsInAnthropics() {
        assertThat(TRANSLATOR.error(429, Buffer.buffer(Fixtures.text("vertex/error-429-quota.json"))))
                .isEqualTo(new ProviderError("Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model "
                        + "with base model: anthropic-claude-sonnet-4. Please submit a quota increase request.",
                        "rate_limit_error", "resource_exhausted", null));
        assertThat(TRANSLATOR.error(529, Buffer.buffer(Fixtures.text("anthropic/error-529-overloaded.json"))).type())
                .isEqualTo("overloaded_error");
    }
}
