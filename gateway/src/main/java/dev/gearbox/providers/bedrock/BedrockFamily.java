package dev.gearbox.providers.bedrock;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.config.Secret;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * {@code type: bedrock}: AWS Bedrock's Converse API. Its own fields: {@code region} (required), and the
 * credentials as {@code ${ENV}} references, {@code access_key_id} and {@code secret_access_key} (with
 * {@code session_token} for temporary ones); without them, the AWS SDK's default chain (environment, profile,
 * web identity, container and instance roles). The base URL defaults to
 * {@code https://bedrock-runtime.{region}.amazonaws.com}.
 */
public final class BedrockFamily implements ProviderFamily {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");

    @Override
    public String type() {
        return "bedrock";
    }

    @Override
    public void check(ProviderOptions options) {
        settings(options);
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        return "https://bedrock-runtime." + settings(options).region() + ".amazonaws.com";
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        Settings settings = settings(setup.config().options());
        SigV4Authentication signature = new SigV4Authentication(setup.vertx(), setup.clock(), settings.credentials(),
                "bedrock", settings.region());
        return () -> new BedrockProvider(HttpUpstream.onLoop(setup.vertx(), setup.name(), setup.config()), signature,
                setup.clock());
    }

    /** A Bedrock provider's own fields, checked. */
    record Settings(String region, Secret accessKeyId, Secret secretAccessKey, Secret sessionToken) {
        Settings {
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("region: '" + region + "' (expected: an AWS region such as us-east-1)");
            }
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new IllegalArgumentException((accessKeyId == null ? "access_key_id" : "secret_access_key")
                        + ": missing (expected: access_key_id and secret_access_key together, or neither for the AWS default chain)");
            }
            if (sessionToken != null && accessKeyId == null) {
                throw new IllegalArgumentException("session_token: given without keys (expected: access_key_id and "
                        + "secret_access_key with it)");
            }
        }

        /** The config's keys, or the SDK's default chain, which caches and refreshes what it finds. */
        IdentityProvider<? extends AwsCredentialsIdentity> credentials() {
            if (accessKeyId == null) {
                return DefaultCredentialsProvider.builder().build();
            }
            return StaticCredentialsProvider.create(sessionToken == null
                    ? AwsBasicCredentials.create(accessKeyId.value(), secretAccessKey.value())
                    : AwsSessionCredentials.create(accessKeyId.value(), secretAccessKey.value(), sessionToken.value()));
        }
    }

    static Settings settings(ProviderOptions options) {
        options.allowOnly("bedrock", Set.of("region", "access_key_id", "secret_access_key", "session_token"));
        return new Settings(options.required("region", "an AWS region such as us-east-1"), options.secret("access_key_id"),
                options.secret("secret_access_key"), options.secret("session_token"));
    }
}
