package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explain runs the admission and routing stages a real request runs, so for the same body and key the two
 * agree on tenant, route, tier and model, and refuse the same way.
 */
@Timeout(60)
class ExplainIT {

    private static final String ADMIN = "Bearer admin-secret";
    private static final String RESEARCH_KEY = "sk-research-0123456789";
    private static final String SUPPORT_KEY = "sk-support-0123456789";
    private static final String ROUTES = """
            aliases: [auto, cheap, reasoning]
            routes:
              - name: research-thinks
                when: {tenant: research}
                then: {tier: reasoning}
              - name: maths
                when: {last_user_message: {keywords: [prove]}}
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
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 1
                  admin_token: "${ADMIN_TOKEN}"
                  api_keys:
                    - {key: "${RESEARCH_KEY}", tenant: research}
                    - {key: "${SUPPORT_KEY}", tenant: support}
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s"}
                """.formatted(rules), Map.of("ADMIN_TOKEN", "admin-secret", "RESEARCH_KEY", RESEARCH_KEY,
                "SUPPORT_KEY", SUPPORT_KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void explainAndARealRequestAgreeOnTenantRouteTierAndModelForTheSameKey() {
        List<String> bodies = List.of(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"prove it\"}]}",
                "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"prove it\"}]}");
        for (String key : List.of(RESEARCH_KEY, SUPPORT_KEY)) {
            for (String body : bodies) {
                JsonObject explained = explain(body, key);
                HttpResponse<String> real = gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + key);

                assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
                String what = key + " " + body;
                assertThat(explained.getString("tenant")).as(what).isEqualTo(key == RESEARCH_KEY ? "research" : "support");
                assertThat(explained.getString("route")).as(what).isEqualTo(header(real, "x-gearbox-route"));
                assertThat(explained.getString("tier")).as(what).isEqualTo(header(real, "x-gearbox-tier"));
                assertThat(explained.getString("model")).as(what).isEqualTo(header(real, "x-gearbox-model"));
            }
        }
        // The tenant rule is what sets the two keys apart, so the tenant really was resolved from the key.
        assertThat(explain(bodies.get(0), RESEARCH_KEY).getString("route")).isEqualTo("research-thinks");
        assertThat(explain(bodies.get(0), SUPPORT_KEY).getString("route")).isEqualTo("default");
    }

    @Test
    void explainRefusesAMissingOrWrongKeyAsTheRealRequestDoes() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

        assertError(gateway.post("/admin/routes/explain", body, "authorization", ADMIN), 401, "invalid_request_error");
        assertError(gateway.post("/admin/routes/explain", body, "authorization", ADMIN, "x-gearbox-api-key", "Bearer nope"),
                401, "invalid_request_error");
        assertError(gateway.post("/v1/chat/completions", body), 401, "invalid_request_error");
    }

    @Test
    void explainValidatesTheBodyAsTheRealRequestDoes() {
        String body = "{\"messages\":[{\"role\":\"robot\",\"content\":\"hello\"}]}";

        JsonObject explained = assertError(gateway.post("/admin/routes/explain", body, "authorization", ADMIN,
                "x-gearbox-api-key", "Bearer " + SUPPORT_KEY), 400, "invalid_request_error");
        JsonObject real = assertError(gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + SUPPORT_KEY),
                400, "invalid_request_error");

        assertThat(explained.getString("param")).isEqualTo(real.getString("param")).isEqualTo("messages[0].role");
    }

    @Test
    void explainedRequestsAreNotCountedAsRequests() {
        String body = "{\"model\":\"sim-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"count me not\"}]}";
        double before = ruleHits("direct");

        explain(body, SUPPORT_KEY);

        assertThat(ruleHits("direct")).isEqualTo(before);
    }

    private static double ruleHits(String route) {
        return gateway.gearbox().meters().find("gearbox.rule.hits").tag("route", route).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static JsonObject explain(String body, String key) {
        HttpResponse<String> response = gateway.post("/admin/routes/explain", body, "authorization", ADMIN,
                "x-gearbox-api-key", "Bearer " + key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
    }
}
