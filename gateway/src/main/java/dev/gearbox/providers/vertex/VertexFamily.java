package dev.gearbox.providers.vertex;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import dev.gearbox.providers.auth.RefreshingToken;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code type: vertex}: Google Cloud's Vertex AI, for Gemini and Claude. Its own fields: {@code project}
 * (required), {@code location} (default {@code us-central1}; {@code global} too) and {@code credentials_file}
 * (a service-account key file, whose {@code token_uri} tokens come from; without it, the application default
 * credentials). The base URL defaults to {@code https://{location}-aiplatform.googleapis.com/v1}.
 */
public final class VertexFamily implements ProviderFamily {

    /** Tokens live an hour; one is replaced five minutes before it would lapse. */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]+");
    private static final Pattern LOCATION = Pattern.compile("[a-z]+(?:-[a-z0-9]+)*");

    @Override
    public String type() {
        return "vertex";
    }

    @Override
    public void check(ProviderOptions options) {
        settings(options);
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        String location = settings(options).location();
        return "global".equals(location) ? "https://aiplatform.googleapis.com/v1"
                : "https://" + location + "-aiplatform.googleapis.com/v1";
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        Settings settings = settings(setup.config().options());
        // One token for every event loop, fetched when first needed and kept fresh from then on.
        RefreshingToken token = RefreshingToken.of(GoogleTokenSource.of(setup.vertx(), setup.clock(), settings.credentialsFile()),
                setup.clock(), REFRESH_AHEAD);
        String location = "/projects/" + settings.project() + "/locations/" + settings.location();
        return () -> new VertexProvider(HttpUpstream.onLoop(setup.vertx(), setup.name(), setup.config()), token, location,
                setup.clock());
    }

    /** A Vertex provider's own fields, checked. */
    record Settings(String project, String location, String credentialsFile) {
        Settings {
            if (!PROJECT.matcher(project).matches()) {
                throw new IllegalArgumentException("project: '" + project + "' (expected: a Google Cloud project id)");
            }
            if (!LOCATION.matcher(location).matches()) {
                throw new IllegalArgumentException("location: '" + location + "' (expected: a region such as us-central1, or global)");
            }
            if (credentialsFile != null && credentialsFile.isBlank()) {
                throw new IllegalArgumentException("credentials_file: blank (expected: the path of a service-account key file)");
            }
        }
    }

    static Settings settings(ProviderOptions options) {
        options.allowOnly("vertex", Set.of("project", "location", "credentials_file"));
        String location = options.text("location");
        return new Settings(options.required("project", "the Google Cloud project id"),
                location == null ? "us-central1" : location, options.text("credentials_file"));
    }
}
