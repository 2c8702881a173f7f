package dev.gearbox.providers.gemini;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import java.util.Set;

/**
 * {@code type: gemini}: Google's Gemini API, natively (thinking budgets, thought signatures, cached and
 * thinking tokens), at {@code https://generativelanguage.googleapis.com/v1beta} unless configured; the key
 * ({@code api_key}) goes as {@code x-goog-api-key}.
 */
public final class GeminiFamily implements ProviderFamily {

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public void check(ProviderOptions options) {
        options.allowOnly(type(), Set.of());
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        return "https://generativelanguage.googleapis.com/v1beta";
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        Authentication key = Authentication.header("x-goog-api-key",
                setup.config().apiKey() == null ? null : setup.config().apiKey().value());
        return () -> new GeminiProvider(HttpUpstream.onLoop(setup.vertx(), setup.name(), setup.config()), key, setup.clock());
    }
}
