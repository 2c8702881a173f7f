package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.RawClient;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's safety, over plain HTTP: the admin token only ever traded for a session cookie, a session for
 * every API call, a CSRF token for every call that changes something, a strict policy on every answer, and
 * without a token loopback only, as the admin API. ConsoleIT drives the same console in a browser.
 */
@Timeout(60)
class ConsoleSecurityIT {

    private static final String TOKEN = "console-admin-secret";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("admin_token: \"${ADMIN}\""), Map.of("ADMIN", TOKEN));
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(gateway);
    }

    @Test
    void aPageWithoutASessionSendsTheBrowserToSignInAndEveryAnswerCarriesAStrictPolicy() {
        HttpResponse<String> page = gateway.get("/console/overview");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("location")).hasValue("/console/login");

        for (String path : List.of("/console/login", "/console/assets/console.js", "/console/api/keys", "/console/overview")) {
            HttpResponse<String> answer = gateway.get(path);
            assertThat(answer.headers().firstValue("content-security-policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
            assertThat(answer.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
        }
        HttpResponse<String> login = gateway.get("/console/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("type=\"password\"").doesNotContain("<script>").doesNotContain("style=");
    }

    @Test
    void theAdminTokenIsTradedForAnHttpOnlyStrictSessionCookieAndNeverEchoed() {
        assertError(login("not the token"), 401, "invalid_request_error");

        HttpResponse<String> signedIn = login(TOKEN);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("gearbox_console=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/console").doesNotContain("Secure").doesNotContain(TOKEN);
        assertThat(signedIn.body()).doesNotContain(TOKEN).contains("csrf");

        HttpResponse<String> behindTls = gateway.post("/console/api/login", new JsonObject().put("token", TOKEN).encode(),
                "x-forwarded-proto", "https");
        assertThat(behindTls.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");
    }

    @Test
    void anApiCallWithoutAValidSessionIsRefused() {
        assertThat(assertError(gateway.get("/console/api/keys"), 401, "invalid_request_error").getString("code"))
                .isEqualTo("console_session_required");
        String forged = cookieOf(login(TOKEN)).replaceAll(".$", "x");
        assertError(gateway.get("/console/api/keys", "cookie", forged), 401, "invalid_request_error");
        assertError(gateway.get("/console/api/keys", "authorization", "Bearer " + TOKEN), 401, "invalid_request_error");
    }

    @Test
    void aCallThatChangesSomethingWithoutTheSessionsCsrfTokenIsRefusedAndChangesNothing() {
        HttpResponse<String> signedIn = login(TOKEN);
        String cookie = cookieOf(signedIn);
        String csrf = new JsonObject(signedIn.body()).getString("csrf");
        String otherCsrf = new JsonObject(login(TOKEN).body()).getString("csrf");

        JsonObject missing = assertError(gateway.post("/console/api/teams", "{\"id\":\"csrf-less\"}", "cookie", cookie), 403,
                "permission_error");
        assertThat(missing.getString("code")).isEqualTo("csrf_token_invalid");
        assertError(gateway.post("/console/api/teams", "{\"id\":\"csrf-less\"}", "cookie", cookie, "x-csrf-token", otherCsrf),
                403, "permission_error");
        assertThat(gateway.get("/console/api/teams", "cookie", cookie).body()).doesNotContain("csrf-less");

        HttpResponse<String> made = gateway.post("/console/api/teams", "{\"id\":\"with-csrf\"}", "cookie", cookie,
                "x-csrf-token", csrf);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(gateway.get("/admin/teams", "authorization", "Bearer " + TOKEN).body()).contains("with-csrf");
    }

    @Test
    void signingInFromAnotherSiteOrFromAFormIsRefused() {
        assertError(gateway.post("/console/api/login", new JsonObject().put("token", TOKEN).encode(), "sec-fetch-site",
                "cross-site"), 403, "permission_error");
        HttpResponse<String> fromAForm = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/console/api/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build());
        assertError(fromAForm, 403, "permission_error");
    }

    @Test
    void signingOutEndsTheSession() {
        HttpResponse<String> signedIn = login(TOKEN);
        String cookie = cookieOf(signedIn);
        String csrf = new JsonObject(signedIn.body()).getString("csrf");
        assertThat(gateway.get("/console/api/session", "cookie", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> out = gateway.post("/console/api/logout", "", "cookie", cookie, "x-csrf-token", csrf);

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
        assertError(gateway.get("/console/api/session", "cookie", cookie), 401, "invalid_request_error");
    }

    @Test
    void withoutAnAdminTokenTheConsoleAnswersOnlyDirectLoopbackCallsNamingALoopbackHost() {
        try (TestGateway open = TestGateway.start(TestGateway.simulatedConfig(""))) {
            HttpResponse<String> signedIn = open.post("/console/api/login", "{}");
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
            assertThat(open.get("/console/api/keys", "cookie", cookieOf(signedIn)).statusCode()).isEqualTo(200);

            assertError(open.get("/console/login", "x-forwarded-for", "203.0.113.7"), 403, "permission_error");
            try (RawClient raw = RawClient.connect(open.port())) {
                // A page of evil.example whose name was pointed at 127.0.0.1 (DNS rebinding) names its own host.
                raw.send("GET /console/login HTTP/1.1\r\nHost: evil.example:" + open.port() + "\r\n\r\n");
                RawClient.RawResponse answer = raw.response(Duration.ofSeconds(10));
                assertThat(answer.status()).isEqualTo(403);
                assertThat(answer.bodyText()).contains("console_loopback_only");
            }
        }
    }

    @Test
    void aConsoleTurnedOffIsNotServed() {
        try (TestGateway off = TestGateway.start(TestGateway.simulatedConfig("") + "console: {enabled: false}\n")) {
            assertThat(off.get("/console/login").statusCode()).isEqualTo(404);
            assertThat(off.post("/console/api/login", "{}").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> login(String token) {
        return gateway.post("/console/api/login", new JsonObject().put("token", token).encode());
    }

    private static String cookieOf(HttpResponse<String> signedIn) {
        return signedIn.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }
}
