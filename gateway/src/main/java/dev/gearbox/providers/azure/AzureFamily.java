package dev.gearbox.providers.azure;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.config.Secret;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import dev.gearbox.providers.auth.RefreshingToken;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code type: azure}: Azure OpenAI (and Azure AI Foundry's OpenAI endpoints). {@code base_url} is the
 * resource's endpoint ({@code https://RESOURCE.openai.azure.com}); its own fields: {@code api_version} (a dated
 * version such as {@code 2024-10-21} puts the deployment in the path,
 * {@code /openai/deployments/{upstream}/chat/completions?api-version=...}; {@code v1}, the default, is the v1
 * path style, {@code /openai/v1/chat/completions} with the deployment as the model), and for Microsoft Entra
 * ID instead of {@code api_key}: {@code tenant_id}, {@code client_id} and {@code client_secret} (a service
 * principal's, whose token is fetched from {@code token_url}, Entra's own by default).
 */
public final class AzureFamily implements ProviderFamily {

    /** Entra ID's tokens live an hour or more; one is replaced five minutes before it would lapse. */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    private static final Pattern API_VERSION = Pattern.compile("v1|\\d{4}-\\d{2}-\\d{2}(?:-preview)?");

    @Override
    public String type() {
        return "azure";
    }

    @Override
    public void check(ProviderOptions options) {
        settings(options);
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        // A resource's own endpoint: there is no default to fall back on.
        return null;
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        Settings settings = settings(setup.config().options());
        Authentication authentication;
        if (settings.clientId() != null) {
            // One token for every event loop, fetched when first needed and kept fresh from then on.
            authentication = RefreshingToken.of(EntraTokenSource.of(setup.vertx(), setup.clock(), settings.tokenUrl(),
                    settings.clientId(), settings.clientSecret()), setup.clock(), REFRESH_AHEAD);
        } else {
            authentication = Authentication.header("api-key",
                    setup.config().apiKey() == null ? null : setup.config().apiKey().value());
        }
        return () -> new AzureProvider(HttpUpstream.onLoop(setup.vertx(), setup.name(), setup.config()), authentication,
                settings.apiVersion());
    }

    /** An Azure provider's own fields, checked. */
    record Settings(String apiVersion, String tenantId, String clientId, Secret clientSecret, String tokenUrl) {
        Settings {
            if (!API_VERSION.matcher(apiVersion).matches()) {
                throw new IllegalArgumentException("api_version: '" + apiVersion
                        + "' (expected: v1, or a dated version such as 2024-10-21 or 2025-04-01-preview)");
            }
            boolean any = tenantId != null || clientId != null || clientSecret != null;
            if (any && (tenantId == null || clientId == null || clientSecret == null)) {
                String missing = tenantId == null ? "tenant_id" : clientId == null ? "client_id" : "client_secret";
                throw new IllegalArgumentException(missing + ": missing (expected: tenant_id, client_id and client_secret "
                        + "together, for Microsoft Entra ID, or none of them and an api_key)");
            }
            if (tokenUrl == null && tenantId != null) {
                tokenUrl = "https://login.microsoftonline.com/" + tenantId + "/oauth2/v2.0/token";
            }
        }
    }

    static Settings settings(ProviderOptions options) {
        options.allowOnly("azure", Set.of("api_version", "tenant_id", "client_id", "client_secret", "token_url"));
        String version = options.text("api_version");
        return new Settings(version == null ? "v1" : version, options.text("tenant_id"), options.text("client_id"),
                options.secret("client_secret"), options.text("token_url"));
    }
}
