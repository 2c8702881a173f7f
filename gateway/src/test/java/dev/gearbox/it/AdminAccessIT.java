package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may reach the admin API: without an admin token only loopback connections (the server may bind every
 * interface), with one whoever presents it; and keys that expire by the gateway's clock.
 */
@Timeout(60)
class AdminAccessIT {

    @Test
    void withoutAnAdminTokenTheAdminApiAnswersOnlyOnLoopback() {
        String external = externalAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address to connect from");
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig("").replace("host: 127.0.0.1", "host: 0.0.0.0"))) {
            assertThat(gateway.get("/admin/keys").statusCode()).isEqualTo(200);
            HttpResponse<String> fromOutside = gateway.send(HttpRequest.newBuilder(
                    URI.create("http://" + external + ":" + gateway.port() + "/admin/keys")).GET().build());
            JsonObject error = assertError(fromOutside, 403, "permission_error");
            assertThat(error.getString("message")).contains("loopback").contains("admin_token");
            HttpResponse<String> minting = gateway.send(HttpRequest.newBuilder(
                    URI.create("http://" + external + ":" + gateway.port() + "/admin/keys"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"team\":\"x\"}")).build());
            assertThat(minting.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withoutAnAdminTokenALoopbackRequestThatCameThroughAProxyIsRefused() {
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig(""))) {
            // A proxy or sidecar on the same host connects from loopback whoever its caller is.
            for (String[] header : new String[][] {{"X-Forwarded-For", "203.0.113.7"},
                    {"Forwarded", "for=203.0.113.7;proto=https"}, {"X-Real-IP", "203.0.113.7"}}) {
                JsonObject error = assertError(gateway.get("/admin/keys", header), 403, "permission_error");
                assertThat(error.getString("code")).isEqualTo("admin_loopback_only");
                assertThat(error.getString("message")).contains(header[0]).contains("admin_token");
                HttpResponse<String> minting = gateway.post("/admin/teams", "{\"id\":\"proxied\"}", header);
                assertThat(minting.statusCode()).as(header[0]).isEqualTo(403);
            }
            assertThat(gateway.get("/admin/teams").body()).doesNotContain("proxied");
            assertThat(gateway.get("/admin/keys").statusCode()).as("a direct loopback call").isEqualTo(200);
        }
    }

    @Test
    void withAnAdminTokenAForwardedRequestIsJudgedByItsToken() {
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig("admin_token: \"${ADMIN}\""),
                Map.of("ADMIN", "admin-secret"))) {
            assertThat(gateway.get("/admin/keys", "X-Forwarded-For", "203.0.113.7", "authorization", "Bearer admin-secret")
                    .statusCode()).isEqualTo(200);
            assertError(gateway.get("/admin/keys", "X-Forwarded-For", "203.0.113.7"), 401, "invalid_request_error");
        }
    }

    @Test
    void withAnAdminTokenTheAdminApiAnswersWhoeverPresentsIt() {
        String external = externalAddress();
        assumeTrue(external != null, "this machine has no non-loopback IPv4 address to connect from");
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig("admin_token: \"${ADMIN}\"")
                .replace("host: 127.0.0.1", "host: 0.0.0.0"), Map.of("ADMIN", "admin-secret"))) {
            URI keys = URI.create("http://" + external + ":" + gateway.port() + "/admin/keys");
            assertThat(gateway.send(HttpRequest.newBuilder(keys).header("authorization", "Bearer admin-secret").GET().build())
                    .statusCode()).isEqualTo(200);
            assertError(gateway.send(HttpRequest.newBuilder(keys).GET().build()), 401, "invalid_request_error");
        }
    }

    @Test
    void aKeyIsRefusedOnceItHasExpired() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (TestGateway gateway = TestGateway.start(TestGateway.simulatedConfig(""), Map.of(), clock)) {
            gateway.post("/admin/teams", "{\"id\":\"temps\"}");
            HttpResponse<String> created = gateway.post("/admin/keys",
                    "{\"team\":\"temps\",\"expires_at\":\"2026-12-01T11:00:00Z\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String secret = new JsonObject(created.body()).getString("key");
            assertThat(gateway.send(VirtualKeysIT.chatRequest(gateway, secret, "sim-cheap", false)).statusCode()).isEqualTo(200);

            clock.advance(Duration.ofHours(2));
            JsonObject error = assertError(gateway.send(VirtualKeysIT.chatRequest(gateway, secret, "sim-cheap", false)), 401,
                    "invalid_request_error");
            assertThat(error.getString("code")).isEqualTo("invalid_api_key");
            assertThat(error.getString("message")).contains("expired");
        }
    }

    /** A non-loopback IPv4 address of this machine, or null. */
    private static String externalAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            return null;
        }
        return null;
    }
}
