package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /v1/moderations} through the real server to a configured (simulated) moderation model. */
@Timeout(60)
class ModerationsSdkIT {

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("").replace("default_embedding_model: sim-embed",
                "  - {id: sim-moderation, provider: sim, kind: moderation}\ndefault_embedding_model: sim-embed"));
        client = gateway.sdk();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void classifiesTextDeterministicallyInOpenAisShape() {
        ModerationCreateResponse flagged = client.moderations().create(ModerationCreateParams.builder()
                .model("sim-moderation").input("I will kill you").build());
        ModerationCreateResponse again = client.moderations().create(ModerationCreateParams.builder()
                .model("sim-moderation").input("I will kill you").build());
        ModerationCreateResponse calm = client.moderations().create(ModerationCreateParams.builder()
                .input("What a lovely morning").build());

        assertThat(flagged.model()).isEqualTo("sim-moderation");
        assertThat(flagged.results().get(0).flagged()).isTrue();
        assertThat(flagged.results().get(0).categories().violence()).isTrue();
        assertThat(flagged.results().get(0).categoryScores().violence()).isGreaterThan(0.9);
        assertThat(again.results().get(0).categoryScores().harassment())
                .isEqualTo(flagged.results().get(0).categoryScores().harassment());
        assertThat(calm.results().get(0).flagged()).isFalse();
        assertThat(calm.results().get(0).categoryScores().violence()).isLessThan(0.01);
    }

    @Test
    void answersInTheShapeOfTheSpecsExample() {
        HttpResponse<String> response = gateway.post("/v1/moderations",
                "{\"input\":[\"you idiot\",\"hello\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        JsonObject spec = Fixtures.json("moderations/image-and-text.json");
        assertThat(body.fieldNames()).containsExactlyInAnyOrderElementsOf(spec.fieldNames());
        assertThat(body.getJsonArray("results")).hasSize(2);
        JsonObject result = body.getJsonArray("results").getJsonObject(0);
        JsonObject specResult = spec.getJsonArray("results").getJsonObject(0);
        assertThat(result.fieldNames()).containsExactlyInAnyOrderElementsOf(specResult.fieldNames());
        assertThat(result.getJsonObject("categories").fieldNames())
                .containsExactlyInAnyOrderElementsOf(specResult.getJsonObject("categories").fieldNames());
        assertThat(result.getBoolean("flagged")).isTrue();
        assertThat(body.getJsonArray("results").getJsonObject(1).getBoolean("flagged")).isFalse();
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("sim-moderation");
        assertThat(gateway.get("/metrics").body()).contains("model=\"sim-moderation\"");
    }

    @Test
    void aRequestWithoutAModelIsClassifiedByTheSimulatorOnTheEmbeddedDefault() {
        try (TestGateway embedded = TestGateway.embeddedDefault()) {
            OpenAIClient sdk = embedded.sdk();
            ModerationCreateResponse response = sdk.moderations().create(ModerationCreateParams.builder()
                    .input("I will kill you").build());
            sdk.close();

            assertThat(response.model()).isEqualTo("sim-moderation");
            assertThat(response.results().get(0).flagged()).isTrue();
        }
    }

    @Test
    void aRequestWithoutAModelGoesToOmniModerationLatestOnAnOpenAiProviderOrToTheConfiguredDefault() {
        WireMockServer openai = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        openai.start();
        openai.stubFor(post("/v1/moderations").willReturn(okJson(Fixtures.text("moderations/image-and-text.json"))));
        String config = """
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  openai: {type: openai, base_url: "http://127.0.0.1:%d/v1"}
                %s
                """;
        try (TestGateway onlyOpenAi = TestGateway.start(config.formatted(openai.port(), ""));
             TestGateway both = TestGateway.start(config.formatted(openai.port(),
                     "  sim: {type: simulated}\ndefault_moderation_model: omni-moderation-latest"))) {
            OpenAIClient toOpenAi = onlyOpenAi.sdk();
            OpenAIClient toBoth = both.sdk();
            toOpenAi.moderations().create(ModerationCreateParams.builder().input("hello").build());
            openai.verify(1, postRequestedFor(urlEqualTo("/v1/moderations"))
                    .withRequestBody(matchingJsonPath("$.model", equalTo("omni-moderation-latest"))));

            toBoth.moderations().create(ModerationCreateParams.builder().input("hello again").build());
            openai.verify(2, postRequestedFor(urlEqualTo("/v1/moderations"))
                    .withRequestBody(matchingJsonPath("$.model", equalTo("omni-moderation-latest"))));
            toOpenAi.close();
            toBoth.close();
        } finally {
            openai.stop();
        }
    }

    @Test
    void aDefaultModerationModelThatIsNoModerationModelStopsStartUp() {
        assertThatThrownBy(() -> TestGateway.start(TestGateway.simulatedConfig("") + "default_moderation_model: sim-cheap\n"))
                .hasMessageContaining("default_moderation_model: 'sim-cheap'");
    }

    @Test
    void badInputOrAChatModelIsRefused() {
        assertThatThrownBy(() -> client.moderations().create(ModerationCreateParams.builder()
                .model("sim-cheap").input("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("not a moderation model"));
        assertThatThrownBy(() -> client.moderations().create(ModerationCreateParams.builder()
                .model("omni-nope").inputOfStrings(List.of("hi")).build())).isInstanceOf(NotFoundException.class);
        for (String[] bad : new String[][] {{"{}", "input"}, {"{\"input\":[]}", "input"}, {"{\"input\":[5]}", "input[0]"},
                {"{\"input\":\"x\",\"model\":3}", "model"}}) {
            HttpResponse<String> response = gateway.post("/v1/moderations", bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(new JsonObject(response.body()).getJsonObject("error").getString("param")).as(bad[0]).isEqualTo(bad[1]);
        }
    }
}
