package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.RedisServer;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin writes from replicas that each read their own snapshot of the accounts (a poll behind the others'):
 * the store decides, in one step with the write, who made a team first, whether a team still exists for a key
 * or a change, and whether a team still has no keys when it is deleted. Two replicas over one real Redis, and
 * one gateway over a state file serving on two event loops.
 */
@Timeout(120)
class AccountWritesIT {

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static TestGateway one;
    private static TestGateway two;
    private static TestGateway file;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(dir);
        one = TestGateway.start(TestGateway.simulatedConfig("") + redis.stateConfig("fail_closed"));
        two = TestGateway.start(TestGateway.simulatedConfig("") + redis.stateConfig("fail_closed"));
        file = TestGateway.start(TestGateway.simulatedConfig("") + "state: {file: \"" + dir.resolve("state.json") + "\"}\n");
    }

    @AfterAll
    static void stop() {
        TestGateway.closeAll(one, two, file);
        redis.close();
    }

    @Test
    void ofTwoReplicasCreatingTheSameTeamAtOnceExactlyOneSucceedsAndItsPolicyHolds() {
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestGateway to = i % 2 == 0 ? one : two;
            creates.add(async(to, "POST", "/admin/teams", "{\"id\":\"race\",\"rpm\":" + (100 + i) + "}"));
        }
        List<HttpResponse<String>> answers = creates.stream().map(CompletableFuture::join).toList();

        List<HttpResponse<String>> created = answers.stream().filter(r -> r.statusCode() == 201).toList();
        assertThat(created).as(statuses(answers)).hasSize(1);
        assertThat(answers).filteredOn(r -> r.statusCode() != 201)
                .allSatisfy(r -> assertThat(r.body()).as(r.body()).contains("conflict").contains("'race' exists"))
                .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(409));
        int rpm = new JsonObject(created.get(0).body()).getInteger("rpm");
        for (TestGateway replica : List.of(one, two)) {
            Eventually.await(Duration.ofSeconds(2), "the winner's policy on every replica",
                    () -> team(replica, "race") != null && team(replica, "race").getInteger("rpm") == rpm);
        }
    }

    @Test
    void aTeamCreatedAtOnceOnTwoEventLoopsOverAStateFileIsCreatedOnce() {
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            creates.add(async(file, "POST", "/admin/teams", "{\"id\":\"file-race\",\"rpm\":" + (100 + i) + "}"));
        }
        List<HttpResponse<String>> answers = creates.stream().map(CompletableFuture::join).toList();

        assertThat(answers).as(statuses(answers)).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(answers).filteredOn(r -> r.statusCode() != 201).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(409));
    }

    @Test
    void aChangeToATeamDeletedOnAnotherReplicaDoesNotBringItBack() {
        assertThat(one.post("/admin/teams", "{\"id\":\"gone\"}").statusCode()).isEqualTo(201);
        Eventually.await(Duration.ofSeconds(2), "the team known on the second replica", () -> team(two, "gone") != null);

        assertThat(send(one, "DELETE", "/admin/teams/gone", null).statusCode()).isEqualTo(200);
        HttpResponse<String> patched = send(two, "PATCH", "/admin/teams/gone", "{\"rpm\":5}");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(404);
        Eventually.await(Duration.ofSeconds(2), "the deletion seen by the second replica", () -> team(two, "gone") == null);
        assertThat(team(one, "gone")).isNull();
    }

    @Test
    void aKeyForATeamDeletedOnAnotherReplicaIsNotMade() {
        assertThat(one.post("/admin/teams", "{\"id\":\"doomed\"}").statusCode()).isEqualTo(201);
        Eventually.await(Duration.ofSeconds(2), "the team known on the second replica", () -> team(two, "doomed") != null);

        assertThat(send(one, "DELETE", "/admin/teams/doomed", null).statusCode()).isEqualTo(200);
        HttpResponse<String> key = two.post("/admin/keys", "{\"team\":\"doomed\"}");

        assertThat(key.statusCode()).as(key.body()).isIn(400, 409);
        assertThat(one.get("/admin/keys?team=doomed").body()).isEqualTo("{\"data\":[]}");
    }

    @Test
    void aTeamGivenAKeyOnAnotherReplicaMeanwhileIsNotDeleted() {
        assertThat(one.post("/admin/teams", "{\"id\":\"busy\"}").statusCode()).isEqualTo(201);
        Eventually.await(Duration.ofSeconds(2), "the team known on the second replica", () -> team(two, "busy") != null);

        assertThat(one.post("/admin/keys", "{\"team\":\"busy\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> deleted = send(two, "DELETE", "/admin/teams/busy", null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(409);
        assertThat(deleted.body()).contains("1 keys that are not revoked");
        assertThat(team(one, "busy")).isNotNull();
    }

    private static JsonObject team(TestGateway on, String id) {
        return new JsonObject(on.get("/admin/teams").body()).getJsonArray("data").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("id").equals(id)).findFirst().orElse(null);
    }

    private static String statuses(List<HttpResponse<String>> answers) {
        return answers.stream().map(r -> String.valueOf(r.statusCode())).collect(Collectors.joining(","));
    }

    private static HttpResponse<String> send(TestGateway to, String method, String path, String body) {
        return async(to, method, path, body).join();
    }

    private static CompletableFuture<HttpResponse<String>> async(TestGateway to, String method, String path, String body) {
        return TestGateway.http().sendAsync(HttpRequest.newBuilder(URI.create(to.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
