package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.AccessLogCapture;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys, teams and their limits on a single node, through the real server: the admin API mints and
 * revokes keys, admission reserves before the call and settles after, and the file store keeps the spend
 * over a restart.
 */
@Timeout(120)
class VirtualKeysIT {

    private static final String CONFIG_KEY = "sk-config-0123456789";

    @TempDir
    static Path dir;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = start(dir.resolve("state.json"));
    }

    static TestGateway start(Path stateFile) {
        return TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${CONFIG_KEY}", tenant: config-team, name: ci}
                """) + """
                state: {file: "%s"}
                teams:
                  - {id: config-team, rpm: 1000}
                """.formatted(stateFile), Map.of("CONFIG_KEY", CONFIG_KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aKeyMadeThroughTheAdminApiIsShownOnceStoredAsAHashAndWorksUntilRevoked() {
        assertThat(post("/admin/teams", "{\"id\":\"alpha\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> created = post("/admin/keys", "{\"team\":\"alpha\",\"name\":\"app\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject key = new JsonObject(created.body());
        String secret = key.getString("key");
        assertThat(secret).startsWith("gbx-").hasSizeGreaterThan(40);

        String listing = gateway.get("/admin/keys").body();
        assertThat(listing).contains(key.getString("id")).doesNotContain(secret).doesNotContain("hash");
        assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(200);

        assertThat(delete("/admin/keys/" + key.getString("id")).statusCode()).isEqualTo(200);
        JsonObject error = assertError(chat(secret, "sim-cheap"), 401, "invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("invalid_api_key");
        assertThat(error.getString("message")).contains("revoked");
    }

    @Test
    void anUnknownKeyIsRefusedWithInvalidApiKey() {
        JsonObject error = assertError(chat("gbx-not-a-key", "sim-cheap"), 401, "invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("invalid_api_key");
        assertThat(chat(CONFIG_KEY, "sim-cheap").statusCode()).isEqualTo(200);
    }

    @Test
    void adminInputErrorsAre400sNamingTheField() {
        JsonObject rpm = assertError(post("/admin/teams", "{\"id\":\"bad\",\"rpm\":-5}"), 400, "invalid_request_error");
        assertThat(rpm.getString("param")).isEqualTo("rpm");
        assertThat(rpm.getString("message")).contains("expected: > 0");
        JsonObject budget = assertError(post("/admin/teams", "{\"id\":\"bad\",\"budget_usd\":{\"daily\":\"lots\"}}"), 400,
                "invalid_request_error");
        assertThat(budget.getString("param")).isEqualTo("budget_usd.daily");
        JsonObject action = assertError(post("/admin/teams", "{\"id\":\"bad\",\"on_budget\":\"shrug\"}"), 400,
                "invalid_request_error");
        assertThat(action.getString("param")).isEqualTo("on_budget");
        assertThat(assertError(post("/admin/keys", "{\"name\":\"x\"}"), 400, "invalid_request_error").getString("param"))
                .isEqualTo("team");
        post("/admin/teams", "{\"id\":\"inputs\"}");
        assertThat(assertError(post("/admin/keys", "{\"team\":\"no-such-team\"}"), 400, "invalid_request_error")
                .getString("message")).contains("does not exist");
        assertThat(assertError(post("/admin/keys", "{\"team\":\"inputs\",\"expires_at\":\"soon\"}"), 400,
                "invalid_request_error").getString("param")).isEqualTo("expires_at");
        assertThat(assertError(post("/admin/keys", "not json"), 400, "invalid_request_error")).isNotNull();
        post("/admin/keys", "{\"team\":\"inputs\"}");
        assertThat(assertError(delete("/admin/teams/inputs"), 409, "invalid_request_error").getString("message"))
                .contains("revoke them first");
        assertThat(assertError(gateway.get("/admin/usage?group_by=week"), 400, "invalid_request_error").getString("param"))
                .isEqualTo("group_by");
    }

    @Test
    void aTeamOverItsRequestsPerMinuteIsRefusedWithRetryAfter() {
        post("/admin/teams", "{\"id\":\"slow\",\"rpm\":3}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"slow\"}").body()).getString("key");
        for (int i = 0; i < 3; i++) {
            assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = chat(secret, "sim-cheap");
        JsonObject error = assertError(refused, 429, "requests");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void aTeamsTokensPerMinuteCountTheMostARequestMayUseUntilItSettles() {
        post("/admin/teams", "{\"id\":\"wordy\",\"tpm\":1000}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"wordy\"}").body()).getString("key");
        int served = 0;
        HttpResponse<String> refused;
        while ((refused = chat(secret, "sim-cheap")).statusCode() == 200) {
            served++;
        }
        JsonObject error = assertError(refused, 429, "tokens");
        assertThat(error.getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(error.getString("message")).contains("limit of 1,000 tokens per minute")
                .contains("holds up to").contains("the request's max_tokens");
        assertThat(served).isPositive();
        JsonObject usage = new JsonObject(gateway.get("/admin/usage?team=wordy").body());
        assertThat(usage.getJsonObject("tokens").getLong("total")).isPositive().isLessThanOrEqualTo(1000);
    }

    @Test
    void aRequestThatMayUseMoreThanTheTokensPerMinuteLimitIsRefusedWithoutRetryAfter() {
        post("/admin/teams", "{\"id\":\"verbose\",\"tpm\":1000}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"verbose\"}").body()).getString("key");
        HttpResponse<String> refused = gateway.post("/v1/chat/completions",
                "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer " + secret);
        JsonObject error = assertError(refused, 429, "tokens");
        assertThat(error.getString("message")).contains("4,096 output tokens").contains("cannot fit in any minute");
        assertThat(refused.headers().firstValue("retry-after")).isEmpty();
    }

    @Test
    void patchingATeamChangesItsLimitAtOnce() {
        post("/admin/teams", "{\"id\":\"tight\",\"rpm\":1}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"tight\"}").body()).getString("key");
        assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(200);
        assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(429);
        HttpResponse<String> patched = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/teams/tight"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"rpm\":100}")).build());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(new JsonObject(patched.body()).getInteger("rpm")).isEqualTo(100);
        assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(200);
        assertThat(assertError(gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/teams/config-team"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"rpm\":1}")).build()), 409, "invalid_request_error")
                .getString("message")).contains("config file");
    }

    @Test
    void aKeyMayUseOnlyItsModels() {
        post("/admin/teams", "{\"id\":\"narrow\"}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"narrow\",\"models\":[\"cheap\"]}").body())
                .getString("key");
        assertThat(chat(secret, "sim-cheap").statusCode()).isEqualTo(200);
        JsonObject error = assertError(chat(secret, "sim-reasoning"), 403, "invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("model_not_allowed");
    }

    @Test
    void twoHundredConcurrentRequestsNeverSpendMoreThanTheTeamsDailyBudget() {
        double budget = 0.002;
        post("/admin/teams", "{\"id\":\"burst\",\"budget_usd\":{\"daily\":" + budget + "},\"on_budget\":\"block\"}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"burst\"}").body()).getString("key");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(TestGateway.http().sendAsync(chatRequest(secret, "sim-cheap", false), HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            if (response.statusCode() == 200) {
                ok++;
            } else {
                JsonObject error = assertError(response, 429, "insufficient_quota");
                assertThat(error.getString("code")).isEqualTo("insufficient_quota");
                assertThat(error.getString("message")).contains("daily budget of $0.002").contains("resets at");
                assertThat(response.headers().firstValue("retry-after")).isPresent();
                refused++;
            }
        }
        assertThat(ok).isPositive();
        assertThat(refused).isPositive();
        JsonObject usage = new JsonObject(gateway.get("/admin/usage?team=burst").body());
        // The documented bound: with every reservation an upper bound of its request's cost, nothing over.
        assertThat(usage.getDouble("spend_usd")).isPositive().isLessThanOrEqualTo(budget);
        assertThat(usage.getLong("requests")).isEqualTo(ok);
    }

    @Test
    void aTeamPastItsBudgetWithDowngradeIsServedByTheCheapestModelAndToldWhy() {
        post("/admin/teams", "{\"id\":\"frugal\",\"budget_usd\":{\"daily\":0.000001},\"on_budget\":\"downgrade\"}");
        String secret = new JsonObject(post("/admin/keys", "{\"team\":\"frugal\"}").body()).getString("key");
        HttpResponse<String> response = chat(secret, "sim-reasoning");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gearbox-model")).hasValue("sim-cheap");
        assertThat(response.headers().firstValue("x-gearbox-route-note")).hasValueSatisfying(note ->
                assertThat(note).contains("team 'frugal' reached its daily budget").contains("cheapest model"));
        Eventually.await(Duration.ofSeconds(5), "the downgrade and the soft limit metered", () -> {
            String metrics = gateway.get("/metrics").body();
            return metrics.contains("gearbox_budget_downgrades_total{tenant=\"frugal\"}")
                    && metrics.contains("gearbox_budget_soft_limit_reached{period=\"daily\",tenant=\"frugal\"} 1.0");
        });
    }

    @Test
    void usageGroupsSpendBaselineAndTokensByModel() {
        post("/admin/teams", "{\"id\":\"ledger\"}");
        JsonObject key = new JsonObject(post("/admin/keys", "{\"team\":\"ledger\"}").body());
        chat(key.getString("key"), "sim-cheap");
        chat(key.getString("key"), "sim-reasoning");
        JsonObject usage = new JsonObject(gateway.get("/admin/usage?team=ledger&group_by=model").body());
        assertThat(usage.getLong("requests")).isEqualTo(2);
        assertThat(usage.getDouble("spend_usd")).isPositive();
        assertThat(usage.getDouble("baseline_usd")).isGreaterThanOrEqualTo(usage.getDouble("spend_usd"));
        assertThat(usage.getJsonObject("tokens").getLong("total")).isPositive();
        assertThat(usage.getJsonArray("groups")).hasSize(2);
        JsonObject byKey = new JsonObject(gateway.get("/admin/usage?team=ledger&key=" + key.getString("id")).body());
        assertThat(byKey.getLong("requests")).isEqualTo(2);
    }

    @Test
    void restartingKeepsTheDaysSpendAndTheKeys(@TempDir Path other) {
        Path file = other.resolve("state.json");
        JsonObject usage;
        String secret;
        try (TestGateway first = start(file)) {
            first.post("/admin/teams", "{\"id\":\"durable\",\"budget_usd\":{\"daily\":1}}");
            secret = new JsonObject(first.post("/admin/keys", "{\"team\":\"durable\"}").body()).getString("key");
            for (int i = 0; i < 3; i++) {
                assertThat(first.send(chatRequest(first, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
            }
            usage = new JsonObject(first.get("/admin/usage?team=durable").body());
        }
        try (TestGateway second = start(file)) {
            JsonObject after = new JsonObject(second.get("/admin/usage?team=durable").body());
            assertThat(after.getDouble("spend_usd")).isEqualTo(usage.getDouble("spend_usd"));
            assertThat(after.getLong("requests")).isEqualTo(3);
            assertThat(second.send(chatRequest(second, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theAccessLogNamesTheKeyIdAndNeverTheKey() {
        post("/admin/teams", "{\"id\":\"logged\"}");
        JsonObject key = new JsonObject(post("/admin/keys", "{\"team\":\"logged\"}").body());
        JsonObject line;
        List<String> lines;
        try (AccessLogCapture log = AccessLogCapture.start()) {
            assertThat(chat(key.getString("key"), "sim-cheap").statusCode()).isEqualTo(200);
            line = log.await("the access log line", l -> key.getString("id").equals(l.getString("key_id")));
            lines = log.lines();
        }
        assertThat(lines).noneMatch(m -> m.contains(key.getString("key")));
        assertThat(line.getString("key_id")).isEqualTo(key.getString("id"));
        assertThat(line.getString("tenant")).isEqualTo("logged");
    }

    static HttpResponse<String> chat(String key, String model) {
        return gateway.send(chatRequest(key, model, false));
    }

    static HttpRequest chatRequest(String key, String model, boolean stream) {
        return chatRequest(gateway, key, model, stream);
    }

    static HttpRequest chatRequest(TestGateway to, String key, String model, boolean stream) {
        return HttpRequest.newBuilder(URI.create(to.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"))
                .build();
    }

    private static HttpResponse<String> post(String path, String body) {
        return gateway.post(path, body);
    }

    private static HttpResponse<String> delete(String path) {
        return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).DELETE().build());
    }
}
