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
                    - {key: "${LIMITED_KEY}", tenant: support, models: [cheap]}
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s"}
                """.formatted(rules), Map.of("ADMIN_TOKEN", "admin-secret", "RESEARCH_KEY", RESEARCH_KEY,
                "SUPPORT_KEY", SUPPORT_KEY, "LIMITED_KEY", "sk-limited-0123456789"));
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
    void explainAnswersTheRefusalAMissingOrWrongKeyGetsWithTheStatusOfTheRealRequest() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        JsonObject real = assertError(gateway.post("/v1/chat/completions", body), 401, "invalid_request_error");

        JsonObject anonymous = explainAs(body);
        JsonObject wrong = explainAs(body, "x-gearbox-api-key", "Bearer nope");
        JsonObject namedAnonymous = explainAs(body, "x-gearbox-explain-as", "anonymous");

        for (JsonObject explained : List.of(anonymous, wrong, namedAnonymous)) {
            assertThat(explained.getString("route")).isNull();
            JsonObject refused = explained.getJsonObject("refused");
            assertThat(refused.getInteger("status")).isEqualTo(401);
            assertThat(refused.getString("type")).isEqualTo(real.getString("type"));
            assertThat(refused.getString("code")).isEqualTo(real.getString("code"));
        }
        assertThat(wrong.getJsonObject("refused").getString("message")).isEqualTo("Incorrect API key provided.");
    }

    @Test
    void anOperatorExplainsAsAKeyIdOrATenantWithoutHoldingTheSecret() {
        String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

        JsonObject asKey = explainAs(body, "x-gearbox-explain-as", "cfg_RESEARCH_KEY");
        JsonObject asTenant = explainAs(body, "x-gearbox-explain-as", "support");
        HttpResponse<String> research = gateway.post("/v1/chat/completions", body, "authorization", "Bearer " + RESEARCH_KEY);

        assertThat(asKey.getString("tenant")).isEqualTo("research");
        assertThat(asKey.getString("route")).isEqualTo("research-thinks").isEqualTo(header(research, "x-gearbox-route"));
        assertThat(asKey.getString("model")).isEqualTo(header(research, "x-gearbox-model"));
        assertThat(asTenant.getString("tenant")).isEqualTo("support");
        assertThat(asTenant.getString("route")).isEqualTo("default");
        JsonObject limited = explainAs("{\"model\":\"sim-reasoning\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "x-gearbox-explain-as", "cfg_LIMITED_KEY");
        assertThat(limited.getJsonObject("refused").getInteger("status")).isEqualTo(403);
        assertThat(limited.getJsonObject("refused").getString("code")).isEqualTo("model_not_allowed");
    }

    @Test
    void explainingAsAnUnknownNameOrWithTwoIdentitiesIsTheExplainCallsOwn400() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

        JsonObject unknown = assertError(gateway.post("/admin/routes/explain", body, "authorization", ADMIN,
                "x-gearbox-explain-as", "nobody"), 400, "invalid_request_error");
        assertError(gateway.post("/admin/routes/explain", body, "authorization", ADMIN, "x-gearbox-explain-as", "support",
                "x-gearbox-api-key", "Bearer " + SUPPORT_KEY), 400, "invalid_request_error");

        assertThat(unknown.getString("message")).contains("x-gearbox-explain-as: 'nobody'");
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
        return explainAs(body, "x-gearbox-api-key", "Bearer " + key);
    }

    private static JsonObject explainAs(String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "authorization";
        all[1] = ADMIN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> response = gateway.post("/admin/routes/explain", body, all);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
    }
}
