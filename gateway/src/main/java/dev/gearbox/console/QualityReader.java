package dev.gearbox.console;

import dev.gearbox.config.Secret;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /console/api/quality}: the quality per route that shadow judging and feedback measure, asked of
 * the gateway's own {@code GET /admin/quality} over loopback, so the console shows exactly what the admin API
 * answers, and says "not on" where the gateway has no quality section ({@code "enabled": false}), has no such
 * endpoint (404) or does not answer.
 */
final class QualityReader {

    static final String PATH = "/admin/quality";
    private static final long TIMEOUT_MS = 5_000;

    private final HttpClient client;
    private final String host;
    private final int port;
    private final String authorization;

    /**
     * @param host the address the gateway listens on; loopback when it listens on every interface
     * @param token the admin token, or null when the admin API answers loopback without one
     */
    QualityReader(HttpClient client, String host, int port, Secret token) {
        this.client = client;
        this.host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        this.port = port;
        this.authorization = token == null ? null : "Bearer " + token.value();
    }

    void handle(RoutingContext rc) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(PATH)
                .setTimeout(TIMEOUT_MS);
        if (authorization != null) {
            options.putHeader("authorization", authorization);
        }
        client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() == 200) {
                        JsonObject quality = body.toJsonObject();
                        return new JsonObject().put("on", quality.getBoolean("enabled", true)).put("quality", quality);
                    }
                    return new JsonObject().put("on", false).put("status", response.statusCode());
                }))
                .onComplete(ar -> ConsoleJson.send(rc, 200, ar.succeeded() ? ar.result()
                        : new JsonObject().put("on", false).put("error", String.valueOf(ar.cause().getMessage()))));
    }
}
