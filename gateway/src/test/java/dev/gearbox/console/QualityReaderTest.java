package dev.gearbox.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's quality figures come from the gateway's own {@code GET /admin/quality} when it has one: played
 * here by a small server standing in for a gateway with and without it.
 */
@Timeout(30)
class QualityReaderTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void theQualityOfAGatewayThatJudgesIsShownAsItAnswers() throws Exception {
        JsonObject quality = new JsonObject().put("routes", new JsonArray().add(new JsonObject().put("route", "default")
                .put("verdicts", new JsonObject().put("cheap_better", 3).put("tie", 10).put("reasoning_better", 1))
                .put("feedback", new JsonObject().put("count", 4).put("mean", 0.75)).put("shadow_spend_usd", 0.12)));
        AtomicReference<String> authorization = new AtomicReference<>();
        int admin = serve(r -> r.get(QualityReader.PATH).handler(rc -> {
            authorization.set(rc.request().getHeader("authorization"));
            rc.json(quality);
        }));

        JsonObject shown = ask(admin, new Secret("ADMIN", "admin-token"));

        assertThat(shown.getBoolean("on")).isTrue();
        assertThat(shown.getJsonObject("quality")).isEqualTo(quality);
        assertThat(authorization.get()).isEqualTo("Bearer admin-token");
    }

    @Test
    void aGatewayWithoutTheEndpointOrThatDoesNotAnswerHasQualityNotOn() throws Exception {
        int without = serve(r -> { });

        assertThat(ask(without, null)).isEqualTo(new JsonObject().put("on", false).put("status", 404));

        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(ask(closed, null).getBoolean("on")).isFalse();
    }

    @Test
    void aGatewayWithoutAQualitySectionHasQualityNotOn() throws Exception {
        int off = serve(r -> r.get(QualityReader.PATH).handler(rc -> rc.json(new JsonObject()
                .put("routes", new JsonArray()).put("enabled", false))));

        assertThat(ask(off, null).getBoolean("on")).isFalse();
    }

    private int serve(java.util.function.Consumer<Router> routes) {
        Router router = Router.router(vertx);
        routes.accept(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        return server.actualPort();
    }

    /** The console's answer, from a console route served on its own port beside the stand-in. */
    private JsonObject ask(int adminPort, Secret token) throws Exception {
        Router router = Router.router(vertx);
        router.get("/quality").handler(new QualityReader(vertx.createHttpClient(), "0.0.0.0", adminPort, token)::handle);
        int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/quality")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new JsonObject(answer.body());
    }
}
