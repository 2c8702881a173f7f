package dev.gearbox.providers.azure;

import dev.gearbox.config.Secret;
import dev.gearbox.providers.auth.AccessToken;
import dev.gearbox.providers.auth.TokenSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Microsoft Entra ID's OAuth2 client credentials grant, for Azure OpenAI's scope: the service principal's
 * client id and secret are exchanged at the token URL for a bearer token, over Vert.x's client so no thread
 * waits. The token's lifetime ({@code expires_in}) counts from the gateway's clock.
 */
final class EntraTokenSource implements TokenSource {

    static final String SCOPE = "https://cognitiveservices.azure.com/.default";

    private final HttpClient client;
    private final Clock clock;
    private final String tokenUrl;
    private final Buffer form;

    private EntraTokenSource(HttpClient client, Clock clock, String tokenUrl, Buffer form) {
        this.client = client;
        this.clock = clock;
        this.tokenUrl = tokenUrl;
        this.form = form;
    }

    static EntraTokenSource of(Vertx vertx, Clock clock, String tokenUrl, String clientId, Secret clientSecret) {
        Buffer form = Buffer.buffer("grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret.value()) + "&scope=" + encode(SCOPE));
        return new EntraTokenSource(vertx.createHttpClient(), clock, tokenUrl, form);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public Future<AccessToken> fetch() {
        long asked = clock.millis();
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(tokenUrl)
                        .putHeader("content-type", "application/x-www-form-urlencoded").putHeader("accept", "application/json"))
                .compose(request -> request.send(form))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        // Entra's error says what is wrong with the credentials; it never holds the secret.
                        throw new IllegalStateException("Microsoft Entra ID answered " + response.statusCode() + ": "
                                + description(body));
                    }
                    JsonObject token = new JsonObject(body);
                    long lifetime = token.getValue("expires_in") instanceof Number n ? n.longValue()
                            : Long.parseLong(String.valueOf(token.getValue("expires_in", "3600")));
                    return new AccessToken(token.getString("access_token"), java.time.Instant.ofEpochMilli(asked + lifetime * 1000));
                }));
    }

    private static String description(Buffer body) {
        try {
            JsonObject error = new JsonObject(body);
            return String.valueOf(error.getValue("error_description", error.getValue("error", "no description")));
        } catch (RuntimeException notJson) {
            return "no description";
        }
    }
}
