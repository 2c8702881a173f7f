package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gearbox.testing.Browser;
import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser, Debian's Chromium driven by Selenium, against a real gateway: signing in,
 * each page with its data, the playground's decision against explain's, a what-if of a known edit, a key
 * made and revoked in the console, and the CSRF token and session the browser's own calls need. Each page is
 * photographed into {@code target/console-screenshots}, or where {@code -Dconsole.screenshots} says
 * ({@code ../docs/console} for the pictures in docs/console.md).
 */
@Timeout(240)
class ConsoleIT {

    private static final String TOKEN = "console-it-admin-token";
    private static final String APP_KEY = "sk-app-console-it";
    private static final String EASY = "What is the capital of France?";
    private static final String HARD = "Prove that the square root of 2 is irrational.";
    private static final String DEFAULT_ROUTE_THEN = "then: {tier: cheap, strategy: cheapest, fallback_max_cost_ratio: 8}";
    private static final Path SCREENSHOTS = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));

    private static Browser browser;
    private static TestGateway gateway;
    private static Path rules;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        boolean installed = Browser.installed();
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("chromium and chromium-driver must be installed to test the console in a browser");
        }
        assumeTrue(installed, "chromium and chromium-driver are not installed here");
        rules = rulesDirectory(dir.resolve("rules"));
        gateway = gatewayOver(rules);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        TestGateway.closeAll(gateway);
    }

    @Test
    void signingInTradesTheAdminTokenForASessionTheTokenNeverReachingThePage() {
        browser.driver().manage().deleteAllCookies();
        browser.open(gateway.baseUrl() + "/console/");
        browser.await(ExpectedConditions.urlToBe(gateway.baseUrl() + "/console/login"));
        browser.screenshot(SCREENSHOTS.resolve("login.png"));

        browser.shown(By.id("token")).sendKeys("not the token");
        browser.shown(By.id("sign-in")).click();
        assertThat(browser.shown(By.id("error")).getText()).contains("not the admin token");

        browser.shown(By.id("token")).sendKeys(TOKEN);
        browser.shown(By.id("sign-in")).click();
        browser.await(ExpectedConditions.urlToBe(gateway.baseUrl() + "/console/overview"));

        Cookie session = browser.driver().manage().getCookieNamed("gearbox_console");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/console");
        assertThat(session.getValue()).doesNotContain(TOKEN);
        assertThat((String) browser.script("return document.cookie")).doesNotContain("gearbox_console");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(TOKEN);
        assertThat(browser.driver().getPageSource()).doesNotContain(TOKEN);
        assertThat((String) browser.script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                .doesNotContain(TOKEN);
    }

    @Test
    void theOverviewShowsTheTrafficSentThroughTheGateway() {
        signIn(gateway);
        for (String prompt : List.of(EASY, "Name three primary colours.", HARD)) {
            assertThat(chat(gateway, APP_KEY, prompt).statusCode()).isEqualTo(200);
        }

        browser.open(gateway.baseUrl() + "/console/overview");

        WebElement cheap = browser.shown(By.cssSelector("tr[data-route='default'][data-model='sim-cheap']"));
        assertThat(number(cheap.findElement(By.cssSelector("td[data-field='requests']")))).isGreaterThanOrEqualTo(2);
        WebElement reasoning = browser.shown(By.cssSelector("tr[data-route='needs-reasoning'][data-model='sim-reasoning']"));
        assertThat(number(reasoning.findElement(By.cssSelector("td[data-field='requests']")))).isGreaterThanOrEqualTo(1);
        assertThat(number(browser.shown(By.cssSelector("[data-card='requests'] .value")))).isGreaterThanOrEqualTo(3);
        assertThat(browser.shown(By.cssSelector("[data-card='spend'] .value")).getText()).startsWith("$");
        assertThat(browser.shown(By.cssSelector("[data-card='reasoning-share'] .value")).getText()).endsWith("%");
        assertThat(browser.driver().findElements(By.cssSelector("#requests-chart canvas, #spend-chart canvas"))).hasSize(2);
        assertThat(browser.shown(By.cssSelector("[data-quality='off']")).getText()).contains("not on");
        browser.screenshot(SCREENSHOTS.resolve("overview.png"));
    }

    @Test
    void theOverviewShowsQualityPerRouteOnceFeedbackIsOn(@TempDir Path dir) throws IOException {
        try (TestGateway own = gatewayOver(rulesDirectory(dir.resolve("rules")), """
                quality:
                  shadow: {sample_rate: 0, judge_model: sim-reasoning}
                """)) {
            HttpResponse<String> answer = chat(own, APP_KEY, EASY);
            assertThat(answer.statusCode()).isEqualTo(200);
            String id = answer.headers().firstValue("x-request-id").orElseThrow();
            // The request is open to feedback once its response has ended, just after the client has it.
            Eventually.await(Duration.ofSeconds(5), "feedback on " + id, () -> own.send(HttpRequest.newBuilder(
                    URI.create(own.baseUrl() + "/v1/feedback")).header("content-type", "application/json")
                    .header("authorization", "Bearer " + APP_KEY).POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                            .put("score", 0.75).put("request_id", id).encode())).build()).statusCode() == 200);
            signIn(own);

            browser.open(own.baseUrl() + "/console/overview");

            WebElement route = browser.shown(By.cssSelector("#quality tr[data-route='default']"));
            assertThat(route.findElement(By.cssSelector("td[data-field='feedback']")).getText()).isEqualTo("1");
            assertThat(route.findElement(By.cssSelector("td[data-field='feedback-mean']")).getText()).isEqualTo("0.75");
            assertThat(browser.driver().findElements(By.cssSelector("[data-quality='off']"))).isEmpty();
        }
    }

    @Test
    void theRoutesPageShowsTheRulesInForceTheCatalogWithBreakersAndTheLastRefusedChange() throws IOException {
        signIn(gateway);
        browser.open(gateway.baseUrl() + "/console/routes");

        assertThat(browser.shown(By.cssSelector("[data-field='version']")).getText())
                .isEqualTo(gateway.gearbox().rules().current().version());
        browser.shown(By.cssSelector("#rules tr[data-route='needs-reasoning']"));
        WebElement simCheap = browser.shown(By.cssSelector("#catalog tr[data-model='sim-cheap']"));
        assertThat(simCheap.findElement(By.cssSelector("td[data-field='available']")).getText()).isEqualTo("yes");
        assertThat(simCheap.findElement(By.cssSelector("td[data-field='breaker']")).getText()).isEqualTo("closed");
        assertThat(simCheap.findElement(By.cssSelector("td[data-field='first-token']")).getText()).endsWith("ms");
        assertThat(browser.shown(By.cssSelector("[data-field='last-error']")).getText()).contains("None");

        String inForce = Files.readString(rules.resolve("routes.yaml"));
        try {
            Files.writeString(rules.resolve("routes.yaml"), replaceLast(inForce, DEFAULT_ROUTE_THEN, "then: {tier: nope}"));
            browser.shown(By.id("reload")).click();
            browser.await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre[data-field='last-error']"),
                    "unknown tier 'nope'"));
            assertThat(browser.shown(By.cssSelector("pre[data-field='last-error']")).getText())
                    .containsPattern("routes\\.yaml: line \\d+: routes\\[\\d+]\\.then\\.tier: unknown tier 'nope'");
            browser.screenshot(SCREENSHOTS.resolve("routes.png"));
        } finally {
            Files.writeString(rules.resolve("routes.yaml"), inForce);
            gateway.post("/admin/routes/reload", "", "authorization", "Bearer " + TOKEN);
        }
    }

    @Test
    void thePlaygroundShowsTheDecisionExplainGives() {
        signIn(gateway);
        browser.open(gateway.baseUrl() + "/console/playground");
        WebElement prompt = browser.shown(By.id("prompt"));
        prompt.clear();
        prompt.sendKeys(HARD);
        browser.shown(By.id("caller-key")).sendKeys(APP_KEY);
        browser.shown(By.id("max-cost")).sendKeys("0.5");
        browser.shown(By.id("explain")).click();
        browser.shown(By.cssSelector("#decision [data-field='model']"));

        JsonObject explained = new JsonObject(gateway.post("/admin/routes/explain", new JsonObject().put("model", "auto")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", HARD))).encode(),
                "authorization", "Bearer " + TOKEN, "x-gearbox-api-key", "Bearer " + APP_KEY,
                "x-gearbox-max-cost-usd", "0.5").body());
        assertThat(explained.getString("route")).isEqualTo("needs-reasoning");
        for (String field : List.of("route", "tier", "model", "provider", "effort", "difficulty", "estimated_cost_usd",
                "fallbacks", "prompt_tokens", "note", "tenant", "rules_version")) {
            Object shown = Json.decodeValue(browser.shown(By.cssSelector("#decision dd[data-field='" + field + "']"))
                    .getAttribute("data-value"));
            Object expected = explained.getValue(field);
            if (expected instanceof Number n) {
                assertThat(((Number) shown).doubleValue()).as(field).isEqualTo(n.doubleValue());
            } else {
                assertThat(shown).as(field).isEqualTo(expected);
            }
        }
        assertThat(browser.driver().findElements(By.cssSelector("#trace tr[data-route]")))
                .hasSize(explained.getJsonArray("rules").size());
        assertThat(browser.driver().findElements(By.cssSelector("#candidates tr[data-candidate]")))
                .hasSize(explained.getJsonArray("candidates").size());
        assertThat(browser.driver().getPageSource()).doesNotContain(APP_KEY);
        browser.screenshot(SCREENSHOTS.resolve("playground.png"));
    }

    @Test
    void aKeyMadeInTheConsoleServesRequestsAndOnceRevokedIsRefused() {
        signIn(gateway);
        browser.open(gateway.baseUrl() + "/console/keys");
        browser.shown(By.id("team-id")).sendKeys("console-team");
        browser.shown(By.id("team-daily")).sendKeys("5");
        browser.shown(By.id("create-team")).click();
        browser.shown(By.cssSelector("#teams tr[data-team='console-team']"));

        new Select(browser.shown(By.id("key-team"))).selectByValue("console-team");
        browser.shown(By.id("key-name")).sendKeys("made-in-the-console");
        browser.shown(By.id("key-daily")).sendKeys("0.5");
        browser.shown(By.id("create-key")).click();
        String secret = browser.shown(By.id("secret")).getText();
        String id = browser.shown(By.id("new-secret")).getAttribute("data-key-id");
        assertThat(secret).isNotBlank();
        browser.shown(By.id("dismiss-secret")).click();
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);

        assertThat(chat(gateway, secret, EASY).statusCode()).isEqualTo(200);
        By spend = By.cssSelector("#keys tr[data-key='" + id + "'] td[data-field='today']");
        // The ledger is written as the request settles; the page shows it once reloaded after that.
        browser.await(d -> {
            d.navigate().refresh();
            return !browser.shown(spend).getText().startsWith("$0.00 ");
        });
        assertThat(browser.shown(spend).getText()).as("its spend against its budget").contains(" of $0.50");
        browser.screenshot(SCREENSHOTS.resolve("keys.png"));

        browser.shown(By.cssSelector("button[data-revoke='" + id + "']")).click();
        browser.await(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#keys tr[data-key='" + id + "'] td[data-field='state']"), "revoked"));
        Eventually.await(Duration.ofSeconds(5), "the revoked key refused",
                () -> chat(gateway, secret, EASY).statusCode() == 401);
    }

    @Test
    void theBrowsersOwnCallsAreRefusedWithoutTheCsrfTokenOrWithoutASession() {
        signIn(gateway);
        browser.open(gateway.baseUrl() + "/console/keys");
        browser.shown(By.cssSelector("#teams"));

        assertThat(fetchStatus("POST", "/console/api/teams", "{\"id\":\"no-csrf\"}", null)).isEqualTo(403);
        assertThat(fetchStatus("POST", "/console/api/teams", "{\"id\":\"no-csrf\"}", "forged")).isEqualTo(403);
        assertThat(fetchStatus("DELETE", "/console/api/keys/cfg_APP_KEY", null, null)).isEqualTo(403);
        assertThat(gateway.get("/admin/teams", "authorization", "Bearer " + TOKEN).body()).doesNotContain("no-csrf");

        browser.driver().manage().deleteAllCookies();
        assertThat(fetchStatus("GET", "/console/api/keys", null, null)).isEqualTo(401);
        browser.open(gateway.baseUrl() + "/console/keys");
        browser.await(ExpectedConditions.urlToBe(gateway.baseUrl() + "/console/login"));
    }

    @Test
    void aWhatIfShowsTheRequestsAKnownEditMovesAndWritesNothing(@TempDir Path dir) throws IOException {
        Path whatIfRules = rulesDirectory(dir.resolve("rules"));
        try (TestGateway own = gatewayOver(whatIfRules)) {
            List<String> easy = List.of(EASY, "Name three primary colours.", "Translate 'good morning' into French.");
            for (String prompt : easy) {
                assertThat(chat(own, APP_KEY, prompt).statusCode()).isEqualTo(200);
            }
            for (String prompt : List.of(HARD, "Prove that there are infinitely many prime numbers.")) {
                assertThat(chat(own, APP_KEY, prompt).statusCode()).isEqualTo(200);
            }
            String versionBefore = own.gearbox().rules().current().version();
            byte[] routesBefore = Files.readAllBytes(whatIfRules.resolve("routes.yaml"));
            signIn(own);
            browser.open(own.baseUrl() + "/console/what-if");
            browser.await(d -> !browser.shown(By.id("routes")).getAttribute("value").isEmpty());
            assertThat(browser.shown(By.id("sample-size")).getText()).contains("5 of the last 1,000");

            editRoutes("then: {tier: nope}");
            browser.shown(By.id("validate")).click();
            WebElement problem = browser.shown(By.cssSelector("#validation tr[data-problem]"));
            assertThat(problem.findElement(By.cssSelector("td[data-field='file']")).getText()).endsWith("routes.yaml");
            assertThat(number(problem.findElement(By.cssSelector("td[data-field='line']")))).isGreaterThan(1);
            assertThat(problem.findElement(By.cssSelector("td[data-field='field']")).getText()).matches("routes\\[\\d+]\\.then\\.tier");
            assertThat(problem.findElement(By.cssSelector("td[data-field='message']")).getText()).contains("unknown tier 'nope'");

            browser.shown(By.id("reset")).click();
            editRoutes("then: {tier: reasoning, strategy: cheapest, fallback_max_cost_ratio: 8}");
            browser.shown(By.id("validate")).click();
            browser.shown(By.cssSelector("#validation [data-field='valid']"));
            browser.shown(By.id("run")).click();

            WebElement move = browser.shown(By.cssSelector("#moves tr[data-move='cheap -> reasoning']"));
            assertThat(move.findElement(By.cssSelector("td[data-field='count']")).getText()).isEqualTo("3");
            assertThat(browser.shown(By.cssSelector("[data-card='moved'] .value")).getText()).isEqualTo("3");
            assertThat(browser.shown(By.cssSelector("#tiers tr[data-tier='cheap'] td[data-field='after']")).getText()).startsWith("0 ");
            assertThat(browser.shown(By.cssSelector("#tiers tr[data-tier='reasoning'] td[data-field='after']")).getText())
                    .startsWith("5 ");
            List<WebElement> examples = browser.driver().findElements(By.cssSelector("#examples tr[data-example]"));
            assertThat(examples).hasSize(3);
            assertThat(browser.shown(By.id("examples")).getText()).contains(EASY).doesNotContain(HARD);
            assertThat(browser.shown(By.id("diff")).getText()).contains("--- a/routes.yaml")
                    .contains("-    " + DEFAULT_ROUTE_THEN).contains("+    then: {tier: reasoning, strategy: cheapest");
            browser.screenshot(SCREENSHOTS.resolve("what-if.png"));

            assertThat(Files.readAllBytes(whatIfRules.resolve("routes.yaml"))).isEqualTo(routesBefore);
            assertThat(own.gearbox().rules().current().version()).isEqualTo(versionBefore);
        }
    }

    /** Replaces the default route's action in the editor, as an operator would. */
    private static void editRoutes(String then) {
        browser.script("const t = document.getElementById('routes'); const at = t.value.lastIndexOf(arguments[0]);"
                + " t.value = t.value.slice(0, at) + arguments[1] + t.value.slice(at + arguments[0].length);",
                DEFAULT_ROUTE_THEN, then);
    }

    /** The status of a fetch made by the page itself, with the session cookie the browser holds. */
    private static long fetchStatus(String method, String path, String body, String csrf) {
        return (Long) browser.asyncScript("const done = arguments[arguments.length - 1];"
                + " const headers = {'content-type': 'application/json'}; if (arguments[3]) headers['x-csrf-token'] = arguments[3];"
                + " fetch(arguments[1], {method: arguments[0], headers, body: arguments[2], credentials: 'same-origin'})"
                + ".then(r => done(r.status), e => done(-1));", method, path, body, csrf);
    }

    private static void signIn(TestGateway target) {
        browser.open(target.baseUrl() + "/console/login");
        browser.driver().manage().deleteAllCookies();
        browser.open(target.baseUrl() + "/console/login");
        browser.shown(By.id("token")).sendKeys(TOKEN);
        browser.shown(By.id("sign-in")).click();
        browser.await(ExpectedConditions.urlToBe(target.baseUrl() + "/console/overview"));
    }

    private static HttpResponse<String> chat(TestGateway target, String key, String prompt) {
        return target.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", "auto").put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", prompt))).encode()))
                .build());
    }

    private static long number(WebElement element) {
        return Long.parseLong(element.getText().replaceAll("[^0-9]", ""));
    }

    private static String replaceLast(String text, String what, String with) {
        int at = text.lastIndexOf(what);
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    private static Path rulesDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : List.of("models.yaml", "routes.yaml")) {
            Files.copy(Path.of("..", "routing-rules", file), dir.resolve(file));
        }
        assertThat(Files.readString(dir.resolve("routes.yaml"))).contains(DEFAULT_ROUTE_THEN);
        return dir;
    }

    private static TestGateway gatewayOver(Path rulesDirectory) {
        return gatewayOver(rulesDirectory, "");
    }

    private static TestGateway gatewayOver(Path rulesDirectory, String more) {
        String config = TestGateway.simulatedConfig("""
                admin_token: "${ADMIN}"
                api_keys:
                  - {key: "${APP_KEY}", tenant: app}
                """) + """
                rules:
                  directory: %s
                  reload_interval_ms: 600000
                console:
                  sample_prompts: true
                """.formatted(rulesDirectory) + more;
        return TestGateway.start(config, Map.of("ADMIN", TOKEN, "APP_KEY", APP_KEY));
    }
}
