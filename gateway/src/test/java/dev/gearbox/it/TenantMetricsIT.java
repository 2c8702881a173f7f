package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which tenants /metrics names: teams of the config file and of the admin API alike, up to a cap, the busiest first. */
@Timeout(60)
class TenantMetricsIT {

    @Test
    void meteredTenantsAreCappedAndTheMostActiveKeepTheirNames() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (TestGateway capped = TestGateway.start(TestGateway.simulatedConfig("""
                api_keys:
                  - {key: "${KEY_A}", tenant: team-a}
                """) + "telemetry: {max_named_tenants: 1}\n", Map.of("KEY_A", "key-a"), clock)) {
            capped.post("/admin/teams", "{\"id\":\"busy\"}");
            String busy = new JsonObject(capped.post("/admin/keys", "{\"team\":\"busy\"}").body()).getString("key");
            assertThat(chat(capped, "key-a").statusCode()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(chat(capped, busy).statusCode()).isEqualTo(200);
            }
            assertThat(requests(capped, "team-a")).isEqualTo(1);
            assertThat(requests(capped, "other")).isEqualTo(3);
            assertThat(requests(capped, "busy")).isZero();

            // A minute on, the next request ranks the tenants: the admin API's busier team takes the one name.
            clock.advance(Duration.ofMinutes(1));
            assertThat(chat(capped, busy).statusCode()).isEqualTo(200);

            assertThat(requests(capped, "busy")).isEqualTo(1);
            assertThat(requests(capped, "team-a")).as("a demoted tenant's series are dropped").isZero();
            assertThat(capped.get("/metrics").body()).doesNotContain("tenant=\"team-a\"");
        }
    }

    @Test
    void aTeamMadeThroughTheAdminApiIsNamedAsAConfigTenantIs() {
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig(""))) {
            gateway.post("/admin/teams", "{\"id\":\"research\"}");
            String key = new JsonObject(gateway.post("/admin/keys", "{\"team\":\"research\"}").body()).getString("key");

            assertThat(chat(gateway, key).statusCode()).isEqualTo(200);

            assertThat(requests(gateway, "research")).isEqualTo(1);
            assertThat(requests(gateway, "other")).isZero();
        }
    }

    private static HttpResponse<String> chat(TestGateway on, String key) {
        return on.post("/v1/chat/completions", "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "authorization", "Bearer " + key);
    }

    private static double requests(TestGateway on, String tenant) {
        return on.get("/metrics").body().lines().filter(l -> l.startsWith("gearbox_requests_total{")
                        && l.contains("tenant=\"" + tenant + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
