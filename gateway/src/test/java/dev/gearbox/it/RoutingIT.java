package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Routing rules on a running gateway: decisions, budgets, explain, and rules edited while it serves. */
@Timeout(60)
class RoutingIT {

    private static final String ADMIN = "Bearer admin-secret";
    private static final String ROUTES = """
            aliases: [auto, cheap, reasoning, strict]
            routes:
              - name: reasoning-alias
                when: {model: reasoning}
                then: {tier: reasoning}
              - name: strict
                when: {model: strict}
                then: {tier: reasoning, max_cost_usd: 0.0001, on_over_budget: reject}
              - name: maths
                when: {last_user_message: {keywords: [prove, theorem]}}
                then: {tier: reasoning}
              - name: default
                then: {tier: cheap}
            """;

    @TempDir
    static Path rules;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2));
        Files.writeString(rules.resolve("routes.yaml"), ROUTES);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 2, admin_token: "${ADMIN_TOKEN}"}
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s", reload_interval_ms: 100}
                default_embedding_model: sim-embed
                """.formatted(rules), Map.of("ADMIN_TOKEN", "admin-secret"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void restoreRules() throws IOException {
        if (!Files.readString(rules.resolve("routes.yaml")).equals(ROUTES)) {
            Files.writeString(rules.resolve("routes.yaml"), ROUTES);
            reload();
        }
    }

    @Test
    void everyAnswerSaysWhichRouteAndTierChoseIt() {
        HttpResponse<String> cheap = chat("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}");
        HttpResponse<String> maths = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Prove the theorem of Pythagoras\"}]}");

        assertHeaders(cheap, "default", "cheap", "sim-cheap");
        assertHeaders(maths, "maths", "reasoning", "sim-reasoning");
        assertThat(new JsonObject(maths.body()).getString("model")).isEqualTo("sim-reasoning");
    }

    @Test
    void editingARulesFileChangesWhereTheNextRequestGoes() throws IOException {
        String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        assertHeaders(chat(body), "default", "cheap", "sim-cheap");
        String before = version();

        Files.writeString(rules.resolve("routes.yaml"), ROUTES.replace("then: {tier: cheap}", "then: {tier: reasoning}")
                .replace("name: default", "name: everything-thinks"));
        Eventually.await(Duration.ofSeconds(15), "the watcher applies the edit", () -> !version().equals(before));

        assertHeaders(chat(body), "everything-thinks", "reasoning", "sim-reasoning");
    }

    @Test
    void anInvalidEditIsRefusedAndRoutingStaysAsItWas() throws IOException {
        String before = version();
        Files.writeString(rules.resolve("routes.yaml"), ROUTES.replace("then: {tier: cheap}", "then: {tier: cheep}"));

        JsonObject state = reload();

        assertThat(state.getString("version")).isEqualTo(before);
        assertThat(state.getJsonObject("last_error").getString("message"))
                .contains("routes.yaml: line 13: routes[3].then.tier: unknown tier 'cheep'");
        assertHeaders(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"), "default", "cheap", "sim-cheap");
    }

    @Test
    void explainAgreesWithWhatTheRealRequestDoes() {
        List<String> bodies = List.of(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"prove it\"}]}",
                "{\"model\":\"reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"prove it\"}]}");
        for (String body : bodies) {
            JsonObject explained = explain(body);
            HttpResponse<String> real = chat(body);

            assertThat(explained.getString("route")).as(body).isEqualTo(real.headers().firstValue("x-gearbox-route").orElseThrow());
            assertThat(explained.getString("model")).as(body).isEqualTo(real.headers().firstValue("x-gearbox-model").orElseThrow());
            assertThat(explained.getString("tier")).as(body).isEqualTo(real.headers().firstValue("x-gearbox-tier").orElseThrow());
        }
    }

    @Test
    void aReasoningRequestOverTheCostBudgetGoesToTheCheapTierWithTheReason() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Prove that 2 + 2 = 4\"}]}";

        HttpResponse<String> response = gateway.post("/v1/chat/completions", body, "x-gearbox-max-cost-usd", "0.0005");
        JsonObject explained = explain(body, "x-gearbox-max-cost-usd", "0.0005");

        assertHeaders(response, "maths", "cheap", "sim-cheap");
        assertThat(response.headers().firstValue("x-gearbox-route-note")).hasValueSatisfying(note ->
                assertThat(note).contains("sim-reasoning").contains("over the budget of $0.0005"));
        assertThat(explained.getString("note")).isEqualTo(response.headers().firstValue("x-gearbox-route-note").orElseThrow());
        assertThat(explained.getJsonArray("candidates").getJsonObject(0).getString("reason")).contains("> budget $0.0005");
    }

    @Test
    void aRouteThatRefusesOverBudgetRequestsAnswers400WithEstimateAndBudget() {
        JsonObject error = assertError(chat("{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "invalid_request_error");

        assertThat(error.getString("code")).isEqualTo("over_budget");
        assertThat(error.getString("message")).contains("estimated cost $").contains("budget of $0.0001");
    }

    @Test
    void aMalformedBudgetHeaderIs400() {
        JsonObject error = assertError(gateway.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-gearbox-latency-budget-ms", "soon"), 400,
                "invalid_request_error");

        assertThat(error.getString("param")).isEqualTo("x-gearbox-latency-budget-ms");
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        assertError(gateway.get("/admin/routes"), 401, "invalid_request_error");
        assertError(gateway.get("/admin/routes", "authorization", "Bearer wrong"), 401, "invalid_request_error");

        JsonObject routes = new JsonObject(gateway.get("/admin/routes", "authorization", ADMIN).body());
        assertThat(routes.getJsonArray("routes")).hasSize(4);
        assertThat(routes.getString("source")).isEqualTo(rules.toString());
        assertThat(routes.getValue("last_error")).isNull();
    }

    private static void assertHeaders(HttpResponse<String> response, String route, String tier, String model) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-route")).hasValue(route);
        assertThat(response.headers().firstValue("x-gearbox-tier")).hasValue(tier);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue(model);
    }

    private static HttpResponse<String> chat(String body) {
        return gateway.post("/v1/chat/completions", body);
    }

    private static JsonObject explain(String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "authorization";
        all[1] = ADMIN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> response = gateway.post("/admin/routes/explain", body, all);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static JsonObject reload() {
        return new JsonObject(gateway.post("/admin/routes/reload", "", "authorization", ADMIN).body());
    }

    private static String version() {
        return new JsonObject(gateway.get("/admin/routes", "authorization", ADMIN).body()).getString("version");
    }
}
