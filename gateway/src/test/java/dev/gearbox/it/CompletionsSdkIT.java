package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Legacy text completions through the real server, with the official SDK, translated to chat for the simulator. */
@Timeout(60)
class CompletionsSdkIT {

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
    void answersAPromptAndStreamsTheSameText() {
        CompletionCreateParams params = CompletionCreateParams.builder().model("cheap").prompt("Once upon a time")
                .maxTokens(60).build();

        Completion whole = client.completions().create(params);
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> streamed.append(c.text())));
        }

        assertThat(whole.choices()).hasSize(1);
        assertThat(whole.choices().get(0).text()).isNotBlank().isEqualTo(streamed.toString());
        assertThat(whole.model()).isEqualTo("sim-cheap");
        assertThat(whole.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive().isLessThanOrEqualTo(60));
    }

    @Test
    void withoutMaxTokensTheAnswerStopsAt16TokensAsOpenAisDoes() {
        Completion completion = client.completions().create(CompletionCreateParams.builder().model("cheap")
                .prompt("Write a long essay about rivers").build());

        assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("length");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(16);
    }

    @Test
    void isAdmittedPricedAndMeteredLikeChat() {
        HttpResponse<String> response = gateway.post("/v1/completions",
                "{\"model\":\"auto\",\"prompt\":\"Say this is a test\",\"max_tokens\":7,\"temperature\":0}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("object")).isEqualTo("text_completion");
        assertThat(response.headers().firstValue("x-gearbox-cost-usd")).hasValueSatisfying(c -> assertThat(Double.parseDouble(c)).isPositive());
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("sim-cheap");
        assertThat(gateway.post("/v1/completions", "{\"model\":\"auto\",\"prompt\":\"Say this is a test\",\"max_tokens\":7,\"temperature\":0}")
                .headers().firstValue("x-gearbox-cache")).hasValue("hit");
    }

    @Test
    void refusesWhatItCannotTranslateNamingTheField() {
        assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("cheap")
                .promptOfArrayOfStrings(List.of("one", "two")).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("prompt"));
        HttpResponse<String> echo = gateway.post("/v1/completions", "{\"model\":\"cheap\",\"prompt\":\"a\",\"echo\":true}");
        assertThat(echo.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(echo.body()).getJsonObject("error").getString("param")).isEqualTo("echo");
    }
}
