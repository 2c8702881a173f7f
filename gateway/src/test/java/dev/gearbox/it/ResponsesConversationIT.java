package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Conversation state of the Responses API: {@code previous_response_id}, per tenant, and the stored responses. */
@Timeout(60)
class ResponsesConversationIT {

    private static TestGateway gateway;
    private static OpenAIClient teamA;
    private static OpenAIClient teamB;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${KEY_A}", tenant: team-a}
                  - {key: "${KEY_B}", tenant: team-b}
                """), Map.of("KEY_A", "key-a", "KEY_B", "key-b"));
        teamA = gateway.sdk("key-a");
        teamB = gateway.sdk("key-b");
    }

    @AfterAll
    static void stop() {
        teamA.close();
        teamB.close();
        gateway.close();
    }

    @Test
    void aSecondTurnContinuesTheFirstWhicheverModelAnswers() {
        Response first = teamA.responses().create(ResponseCreateParams.builder().model("cheap")
                .input("My name is Ada and I write programs for the analytical engine.").build());
        ResponseCreateParams second = ResponseCreateParams.builder().model("reasoning").input("What is my name?").build();

        Response continued = teamA.responses().create(second.toBuilder().previousResponseId(first.id()).build());
        Response alone = teamA.responses().create(second);

        assertThat(continued.previousResponseId()).hasValue(first.id());
        assertThat(continued.model().asString()).isEqualTo("sim-reasoning");
        assertThat(ResponsesSdkIT.text(continued)).isNotBlank();
        // The model was given the first turn (its question and its answer) before the new question.
        assertThat(continued.usage().orElseThrow().inputTokens())
                .isGreaterThan(alone.usage().orElseThrow().inputTokens() + first.usage().orElseThrow().outputTokens());
    }

    @Test
    void aStoredResponseIsReadAndDeletedByItsOwnTenantOnly() {
        Response made = teamA.responses().create(ResponseCreateParams.builder().model("cheap").input("Tell me a fact").build());

        Response read = teamA.responses().retrieve(made.id());
        assertThat(read.id()).isEqualTo(made.id());
        assertThat(ResponsesSdkIT.text(read)).isEqualTo(ResponsesSdkIT.text(made));
        assertThatThrownBy(() -> teamB.responses().retrieve(made.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> teamB.responses().delete(made.id())).isInstanceOf(NotFoundException.class);
        HttpResponse<String> continuedByB = gateway.post("/v1/responses", new JsonObject().put("model", "cheap")
                .put("input", "and?").put("previous_response_id", made.id()).encode(), "authorization", "Bearer key-b");
        assertThat(continuedByB.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(continuedByB.body()).getJsonObject("error").getString("param")).isEqualTo("previous_response_id");

        teamA.responses().delete(made.id());

        assertThatThrownBy(() -> teamA.responses().retrieve(made.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> teamA.responses().create(ResponseCreateParams.builder().model("cheap").input("and?")
                .previousResponseId(made.id()).build())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aStoredResponseIsReadAndDeletedWithTheKeyInXApiKeyAsOnEveryV1Path() {
        Response made = teamA.responses().create(ResponseCreateParams.builder().model("cheap").input("Keep me").build());
        HttpRequest.Builder read = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/responses/" + made.id()));

        HttpResponse<String> got = gateway.send(read.copy().GET().header("x-api-key", "key-a").build());
        HttpResponse<String> otherTenant = gateway.send(read.copy().GET().header("x-api-key", "key-b").build());
        HttpResponse<String> deleted = gateway.send(read.copy().DELETE().header("x-api-key", "key-a").build());

        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(new JsonObject(got.body()).getString("id")).isEqualTo(made.id());
        assertThat(otherTenant.statusCode()).as(otherTenant.body()).isEqualTo(404);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(new JsonObject(deleted.body()).getBoolean("deleted")).isTrue();
        assertThat(gateway.send(read.copy().GET().header("x-api-key", "key-a").build()).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownIdIsA404InOpenAisShape() {
        HttpResponse<String> response = gateway.post("/v1/responses",
                "{\"model\":\"cheap\",\"input\":\"hi\",\"previous_response_id\":\"resp_nope\"}", "authorization", "Bearer key-a");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).contains("resp_nope");
        assertThat(gateway.get("/v1/responses/resp_nope", "authorization", "Bearer key-a").statusCode()).isEqualTo(404);
        assertThat(gateway.get("/v1/responses/resp_nope").statusCode()).isEqualTo(401);
    }

    @Test
    void storeFalseKeepsNothing() {
        Response made = teamA.responses().create(ResponseCreateParams.builder().model("cheap").input("Forget me")
                .store(false).build());

        assertThat(made._additionalProperties().get("store").asBoolean()).hasValue(false);
        assertThatThrownBy(() -> teamA.responses().retrieve(made.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aStreamedResponseIsStoredOnceItCompletes() {
        Response[] completed = {null};
        try (StreamResponse<ResponseStreamEvent> stream = teamA.responses().createStreaming(ResponseCreateParams.builder()
                .model("cheap").input("Stream me a fact").build())) {
            stream.stream().forEach(event -> event.completed().ifPresent(c -> completed[0] = c.response()));
        }

        Response read = teamA.responses().retrieve(completed[0].id());
        assertThat(ResponsesSdkIT.text(read)).isEqualTo(ResponsesSdkIT.text(completed[0])).isNotBlank();
        Response next = teamA.responses().create(ResponseCreateParams.builder().model("cheap").input("Another?")
                .previousResponseId(read.id()).build());
        assertThat(next.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
    }
}
