package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The response cache under the Responses API: hits replayed as JSON and as typed events, priced as chat. */
@Timeout(60)
class ResponsesCacheIT {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig(""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aRepeatedDeterministicRequestIsAHitReplayedAsJsonAndAsEvents() {
        JsonObject request = new JsonObject().put("model", "cheap").put("temperature", 0)
                .put("input", "Name three rivers of Europe");

        HttpResponse<String> first = post(request);
        HttpResponse<String> again = post(request);
        HttpResponse<String> streamed = post(request.copy().put("stream", true));

        assertThat(first.headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(again.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        assertThat(again.headers().firstValue("x-gearbox-cost-usd")).hasValue("0");
        assertThat(streamed.headers().firstValue("x-gearbox-cache")).hasValue("hit");
        String text = text(new JsonObject(first.body()));
        assertThat(text(new JsonObject(again.body()))).isEqualTo(text);
        assertThat(new JsonObject(again.body()).getString("id")).isNotEqualTo(new JsonObject(first.body()).getString("id"));
        String[] frames = streamed.body().split("\n\n");
        JsonObject completed = new JsonObject(frames[frames.length - 1].split("\n")[1].substring("data: ".length()));
        assertThat(completed.getString("type")).isEqualTo("response.completed");
        assertThat(text(completed.getJsonObject("response"))).isEqualTo(text);
        String deltas = Arrays.stream(frames).filter(f -> f.startsWith("event: response.output_text.delta"))
                .map(f -> new JsonObject(f.split("\n")[1].substring("data: ".length())).getString("delta"))
                .reduce("", String::concat);
        assertThat(deltas).isEqualTo(text);
    }

    @Test
    void aResponsesRequestCostsAndCountsWhatTheSameChatRequestDoes() {
        String prompt = "Describe the water cycle in two sentences";
        String before = gateway.get("/metrics").body();
        HttpResponse<String> chat = gateway.post("/v1/chat/completions", new JsonObject().put("model", "cheap")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt))).encode());
        String afterChat = gateway.get("/metrics").body();
        HttpResponse<String> responses = post(new JsonObject().put("model", "cheap").put("input", prompt));
        String afterResponses = gateway.get("/metrics").body();

        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(responses.statusCode()).isEqualTo(200);
        assertThat(responses.headers().firstValue("x-gearbox-cost-usd")).isEqualTo(chat.headers().firstValue("x-gearbox-cost-usd"));
        assertThat(responses.headers().firstValue("x-gearbox-model")).isEqualTo(chat.headers().firstValue("x-gearbox-model"));
        JsonObject usage = new JsonObject(responses.body()).getJsonObject("usage");
        JsonObject chatUsage = new JsonObject(chat.body()).getJsonObject("usage");
        assertThat(usage.getLong("input_tokens")).isEqualTo(chatUsage.getLong("prompt_tokens"));
        assertThat(usage.getLong("output_tokens")).isEqualTo(chatUsage.getLong("completion_tokens"));
        for (String meter : new String[] {"gearbox_cost_usd_total", "gearbox_tokens_total", "gearbox_requests_total"}) {
            double byChat = sum(afterChat, meter) - sum(before, meter);
            double byResponses = sum(afterResponses, meter) - sum(afterChat, meter);
            assertThat(byResponses).as(meter).isPositive().isCloseTo(byChat, within(1e-12));
        }
    }

    private static HttpResponse<String> post(JsonObject body) {
        HttpResponse<String> response = gateway.post("/v1/responses", body.encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static String text(JsonObject response) {
        StringBuilder out = new StringBuilder();
        for (Object item : response.getJsonArray("output")) {
            for (Object part : ((JsonObject) item).getJsonArray("content", new JsonArray())) {
                out.append(((JsonObject) part).getString("text", ""));
            }
        }
        return out.toString();
    }

    private static double sum(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
