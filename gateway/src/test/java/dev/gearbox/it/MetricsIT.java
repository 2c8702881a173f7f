package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What /metrics says about a known mix of requests, checked against what each response said. */
@Timeout(60)
class MetricsIT {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${KEY_A}", tenant: team-a}
                  - {key: "${KEY_B}", tenant: team-b}
                """), Map.of("KEY_A", "key-a", "KEY_B", "key-b"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theCostOnMetricsEqualsTheSumOfTheCostHeaders() {
        double headers = 0;
        String[][] mix = {
                {"key-a", "auto", "What is the capital of France?", "0.7"},
                {"key-a", "reasoning", "Prove that 17 is prime", "0.7"},
                {"key-b", "auto", "Prove the Pythagorean theorem", "0.7"},
                {"key-b", "cheap", "Cache this answer", "0"},
                {"key-b", "cheap", "Cache this answer", "0"},
                {"key-a", "sim-reasoning", "Plan for a migration", "1"},
        };
        for (String[] request : mix) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", new JsonObject()
                    .put("model", request[1]).put("temperature", Double.parseDouble(request[3]))
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", request[2])))
                    .encode(), "authorization", "Bearer " + request[0]);
            assertThat(response.statusCode()).isEqualTo(200);
            headers += Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElseThrow());
        }

        String metrics = gateway.get("/metrics").body();

        assertThat(sum(metrics, "gearbox_cost_usd_total")).isCloseTo(headers, within(1e-12));
        assertThat(sum(metrics, "gearbox_cost_baseline_usd_total") - sum(metrics, "gearbox_cost_usd_total"))
                .isCloseTo(sum(metrics, "gearbox_savings_usd_total"), within(1e-12));
        assertThat(sum(metrics, "gearbox_savings_usd_total")).isPositive();
        assertThat(metrics).contains("tenant=\"team-a\"").contains("tenant=\"team-b\"")
                .contains("gearbox_cache_requests_total{model=\"sim-cheap\",result=\"hit\"} 1.0")
                .contains("gen_ai_client_operation_duration_seconds_bucket")
                .contains("gen_ai_server_time_to_first_token_seconds_bucket")
                .contains("gen_ai_client_token_usage_sum")
                .contains("gearbox_gateway_overhead_seconds_bucket")
                .contains("type=\"reasoning\"");
    }

    private static double sum(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
