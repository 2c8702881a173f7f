package dev.gearbox.providers.vertex;

import com.google.auth.oauth2.GoogleCredentials;
import dev.gearbox.providers.auth.AccessToken;
import dev.gearbox.providers.auth.TokenSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Access tokens from Google's auth library: a service-account file's key signs an assertion, which its
 * {@code token_uri} exchanges for a token (or the application default credentials do their own). The
 * library's HTTP call blocks, so it runs on a worker thread. The token's lifetime is read from the library
 * and counted on the gateway's clock, so refreshing follows the clock the rest of the gateway keeps.
 */
final class GoogleTokenSource implements TokenSource {

    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private final Vertx vertx;
    private final Clock clock;
    private final GoogleCredentials credentials;

    private GoogleTokenSource(Vertx vertx, Clock clock, GoogleCredentials credentials) {
        this.vertx = vertx;
        this.clock = clock;
        this.credentials = credentials;
    }

    /** @param credentialsFile a service-account file; null for the application default credentials */
    static GoogleTokenSource of(Vertx vertx, Clock clock, String credentialsFile) {
        try {
            GoogleCredentials credentials;
            if (credentialsFile == null) {
                credentials = GoogleCredentials.getApplicationDefault();
            } else {
                try (InputStream in = Files.newInputStream(Path.of(credentialsFile))) {
                    credentials = GoogleCredentials.fromStream(in);
                }
            }
            return new GoogleTokenSource(vertx, clock, credentials.createScoped(List.of(SCOPE)));
        } catch (IOException e) {
            // Never the file's content, which holds a private key: only where it is and what went wrong.
            throw new UncheckedIOException("Vertex AI credentials " + (credentialsFile == null ? "(application default)"
                    : "file " + credentialsFile) + " could not be read: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public Future<AccessToken> fetch() {
        long asked = clock.millis();
        return vertx.executeBlocking(() -> {
            long libraryNow = System.currentTimeMillis();
            com.google.auth.oauth2.AccessToken token = credentials.refreshAccessToken();
            long lifetime = token.getExpirationTime() == null ? Duration.ofHours(1).toMillis()
                    : token.getExpirationTime().getTime() - libraryNow;
            return new AccessToken(token.getTokenValue(), java.time.Instant.ofEpochMilli(asked + Math.max(0, lifetime)));
        }, false);
    }
}
