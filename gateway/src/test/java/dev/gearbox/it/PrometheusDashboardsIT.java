package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboards and alerts against a real Prometheus scraping a gateway that served a mix of
 * traffic: cheap and reasoning answers, a stream, a cache hit, a fallback, an upstream error and a rules
 * reload, every answer shadow-judged (the simulated reasoning model judging) and one scored by feedback, so no
 * panel is empty for want of data; and a team made through the admin API, which the tenant views must show as
 * they show the config file's teams.
 */
@Timeout(180)
class PrometheusDashboardsIT {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final List<String> DASHBOARDS = List.of("cost-and-savings.json", "latency-and-reliability.json",
            "quality.json");
    private static final String WEB_KEY = "sk-web-0123456789";
    private static final String THRIFTY_KEY = "sk-thrifty-0123456789";
    private static final String CAPPED_KEY = "sk-capped-0123456789";
    private static final String ADMIN_TEAM = "research";
    private static String adminTeamKey;
    @TempDir
    static Path work;
    private static TestGateway gateway;
    private static Process prometheus;
    private static String prometheusUrl;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = onPath("prometheus") && onPath("promtool");
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("prometheus and promtool must be installed (Debian package 'prometheus'); .ci/run installs them");
        }
        assumeTrue(installed, "prometheus is not installed here; CI installs it");

        Path rules = Files.createDirectory(work.resolve("rules"));
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2) + """
                  - {id: sim-down, provider: sim, tier: cheap, price: {input: 0.1, output: 0.4},
                     simulation: {failure_rate: 1.0, failure_status: 503}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), routes("default"));
        gateway = TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${WEB_KEY}", tenant: web}
                  - {key: "${THRIFTY_KEY}", tenant: thrifty}
                  - {key: "${CAPPED_KEY}", tenant: capped}
                """) + """
                rules: {directory: "%s"}
                resilience:
                  defaults: {max_attempts: 2, backoff_initial_ms: 5, backoff_max_ms: 10}
                teams:
                  - {id: thrifty, budget_usd: {daily: 0.000001}, on_budget: downgrade}
                  - {id: capped, rpm: 1, budget_usd: {monthly: 10}}
                quality:
                  shadow: {sample_rate: 1, judge_model: sim-reasoning, daily_budget_usd: 10}
                """.formatted(rules), Map.of("WEB_KEY", WEB_KEY, "THRIFTY_KEY", THRIFTY_KEY, "CAPPED_KEY", CAPPED_KEY));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        prometheusUrl = "http://127.0.0.1:" + port;
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: gearbox
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(DEPLOY.resolve("prometheus/alerts.yml").toAbsolutePath(), gateway.port()));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        Eventually.await(Duration.ofSeconds(60), "Prometheus is ready", () -> get(prometheusUrl + "/-/ready").statusCode() == 200);

        // Past its budget at once (downgraded), and one request a minute (the second refused).
        HttpResponse<String> team = gateway.post("/admin/teams", "{\"id\":\"" + ADMIN_TEAM + "\",\"rpm\":1,"
                + "\"budget_usd\":{\"daily\":0.000001},\"on_budget\":\"downgrade\"}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
        HttpResponse<String> key = gateway.post("/admin/keys", "{\"team\":\"" + ADMIN_TEAM + "\"}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        adminTeamKey = new JsonObject(key.body()).getString("key");

        traffic();
        Files.writeString(rules.resolve("routes.yaml"), routes("everything-else"));
        gateway.post("/admin/routes/reload", "");
        awaitScrapes(3);
        traffic();
        // The shadows and the quality gauges' read of the log come just after the answers.
        Eventually.await(Duration.ofSeconds(30), "shadow verdicts and their gauges", () -> {
            String metrics = gateway.get("/metrics").body();
            return metrics.contains("gearbox_quality_verdicts_total") && metrics.contains("gearbox_quality_retained_ratio{")
                    && metrics.contains("gearbox_quality_shadow_skipped_total");
        });
        traffic();
        awaitScrapes(3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Process check = new ProcessBuilder("promtool", "check", "rules", DEPLOY.resolve("prometheus/alerts.yml").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void everyAlertExpressionEvaluatesWithoutError() throws Exception {
        JsonArray groups = new JsonObject(get(prometheusUrl + "/api/v1/rules").body()).getJsonObject("data").getJsonArray("groups");
        List<String> expressions = new ArrayList<>();
        groups.forEach(g -> ((JsonObject) g).getJsonArray("rules").forEach(r -> expressions.add(((JsonObject) r).getString("query"))));

        assertThat(expressions).hasSize(6);
        for (String expr : expressions) {
            assertThat(query(expr).getString("status")).as(expr).isEqualTo("success");
        }
        JsonArray rules = new JsonObject(get(prometheusUrl + "/api/v1/rules").body()).getJsonObject("data").getJsonArray("groups")
                .getJsonObject(0).getJsonArray("rules");
        rules.forEach(r -> assertThat(((JsonObject) r).getString("health")).as(((JsonObject) r).getString("name")).isNotEqualTo("err"));
    }

    @Test
    void everyPanelOfEveryDashboardReturnsData() throws Exception {
        List<String> empty = new ArrayList<>();
        int queries = 0;
        for (String file : DASHBOARDS) {
            JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/dashboards").resolve(file)));
            for (Object p : dashboard.getJsonArray("panels")) {
                JsonObject panel = (JsonObject) p;
                for (Object t : panel.getJsonArray("targets")) {
                    String expr = ((JsonObject) t).getString("expr");
                    JsonObject result = query(grafanaToPromQl(expr));
                    queries++;
                    assertThat(result.getString("status")).as(expr).isEqualTo("success");
                    if (result.getJsonObject("data").getJsonArray("result").isEmpty()) {
                        empty.add(file + " / " + panel.getString("title") + ": " + expr);
                    }
                }
            }
        }
        assertThat(queries).isGreaterThan(20);
        assertThat(empty).as("panels with no series").isEmpty();
    }

    @Test
    void aTeamMadeThroughTheAdminApiIsOfferedAsATenantAndHasDataInEveryTenantPanel() throws Exception {
        JsonArray tenants = new JsonObject(get(prometheusUrl + "/api/v1/label/tenant/values?match[]=gearbox_requests_total")
                .body()).getJsonArray("data");
        assertThat(tenants.stream().map(String::valueOf).toList()).as("the $tenant variable's values")
                .contains(ADMIN_TEAM, "web", "thrifty");

        List<String> empty = new ArrayList<>();
        int queries = 0;
        for (String file : DASHBOARDS) {
            JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/dashboards").resolve(file)));
            for (Object p : dashboard.getJsonArray("panels")) {
                JsonObject panel = (JsonObject) p;
                for (Object t : panel.getJsonArray("targets")) {
                    String expr = ((JsonObject) t).getString("expr");
                    if (!expr.contains("$tenant")) {
                        continue;
                    }
                    JsonObject result = query(grafanaToPromQl(expr.replace("$tenant", ADMIN_TEAM)));
                    queries++;
                    assertThat(result.getString("status")).as(expr).isEqualTo("success");
                    if (result.getJsonObject("data").getJsonArray("result").isEmpty()) {
                        empty.add(file + " / " + panel.getString("title") + ": " + expr);
                    }
                }
            }
        }
        assertThat(queries).isGreaterThan(15);
        assertThat(empty).as("tenant panels with no series for the admin API's team").isEmpty();
    }

    @Test
    void theDashboardsAreValidGrafanaJsonUsingADatasourceVariable() throws Exception {
        for (String file : DASHBOARDS) {
            JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/dashboards").resolve(file)));
            assertThat(dashboard.getString("uid")).isNotBlank();
            assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(30);
            JsonObject variable = dashboard.getJsonObject("templating").getJsonArray("list").getJsonObject(0);
            assertThat(variable.getString("type")).isEqualTo("datasource");
            assertThat(variable.getString("query")).isEqualTo("prometheus");
            for (Object p : dashboard.getJsonArray("panels")) {
                JsonObject panel = (JsonObject) p;
                assertThat(panel.getJsonObject("datasource").getString("uid")).as(panel.getString("title")).isEqualTo("${datasource}");
                assertThat(panel.getJsonObject("gridPos").fieldNames()).contains("x", "y", "w", "h");
            }
        }
    }

    private static void traffic() {
        String[][] requests = {
                {"auto", "What is the capital of France?", "0.7", "false"},
                {"reasoning", "Prove that 17 is prime", "0.7", "false"},
                {"auto", "Tell me a story", "0.7", "true"},
                {"cheap", "The same deterministic question", "0", "false"},
                {"cheap", "The same deterministic question", "0", "false"},
                {"flaky", "Anyone there?", "0.7", "false"},
                {"broken", "Anyone there?", "0.7", "false"},
        };
        for (String[] r : requests) {
            HttpResponse<String> answer = gateway.post("/v1/chat/completions", new JsonObject().put("model", r[0])
                    .put("temperature", Double.parseDouble(r[2])).put("stream", Boolean.parseBoolean(r[3]))
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", r[1]))).encode(),
                    "authorization", "Bearer " + WEB_KEY);
            if (r[0].equals("auto") && !Boolean.parseBoolean(r[3])) {
                String id = answer.headers().firstValue("x-request-id").orElseThrow();
                Eventually.await(Duration.ofSeconds(5), "feedback taken on " + id, () -> gateway.post("/v1/feedback",
                        new JsonObject().put("request_id", id).put("score", 0.8).encode(), "authorization", "Bearer " + WEB_KEY)
                        .statusCode() == 200);
            }
        }
        // The team view: a team past its budget downgraded, and one over its rate refused.
        String question = new JsonObject().put("model", "reasoning")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Prove it"))).encode();
        gateway.post("/v1/chat/completions", question, "authorization", "Bearer " + THRIFTY_KEY);
        gateway.post("/v1/chat/completions", question, "authorization", "Bearer " + CAPPED_KEY);
        gateway.post("/v1/chat/completions", question, "authorization", "Bearer " + CAPPED_KEY);
        gateway.post("/v1/chat/completions", question, "authorization", "Bearer " + adminTeamKey);
        gateway.post("/v1/chat/completions", question, "authorization", "Bearer " + adminTeamKey);
    }

    private static String routes(String defaultName) {
        return """
                aliases: [auto, cheap, reasoning, flaky, broken]
                routes:
                  - {name: reasoning-alias, when: {model: reasoning}, then: {tier: reasoning}}
                  - {name: cheap-alias, when: {model: cheap}, then: {models: [sim-cheap]}}
                  - {name: flaky, when: {model: flaky}, then: {models: [sim-down], fallbacks: [sim-cheap]}}
                  - {name: broken, when: {model: broken}, then: {models: [sim-down]}}
                  - {name: %s, then: {models: [sim-cheap]}}
                """.formatted(defaultName);
    }

    /** Substitutes Grafana's variables as Grafana would, with every tenant and model selected. */
    private static String grafanaToPromQl(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__range", "5m")
                .replace("$tenant", ".*").replace("$model", ".*").replace("$route", ".*");
    }

    private static void awaitScrapes(int count) {
        double before = scrapes();
        Eventually.await(Duration.ofSeconds(30), count + " more scrapes", () -> scrapes() >= before + count);
    }

    private static double scrapes() {
        JsonArray result = query("count_over_time(up{job=\"gearbox\"}[10m])").getJsonObject("data").getJsonArray("result");
        return result.isEmpty() ? 0 : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
    }

    private static JsonObject query(String promql) {
        return new JsonObject(get(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    }

    private static HttpResponse<String> get(String url) {
        try {
            return TestGateway.http().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FailedResponse(url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** A response for a request that could not connect, as while Prometheus is starting. */
    private record FailedResponse(String url) implements HttpResponse<String> {
        public int statusCode() { return 0; }
        public HttpRequest request() { return HttpRequest.newBuilder(URI.create(url)).build(); }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
        public String body() { return ""; }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return URI.create(url); }
        public java.net.http.HttpClient.Version version() { return java.net.http.HttpClient.Version.HTTP_1_1; }
    }
}
