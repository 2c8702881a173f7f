package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import java.util.Set;

/** {@code type: anthropic}: Anthropic's Messages API, at {@code https://api.anthropic.com/v1} unless configured. */
public final class AnthropicFamily implements ProviderFamily {

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public void check(ProviderOptions options) {
        options.allowOnly(type(), Set.of());
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        return "https://api.anthropic.com/v1";
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        return () -> new AnthropicProvider(setup.config(), HttpUpstream.onLoop(setup.vertx(), setup.name(), setup.config()),
                setup.clock());
    }
}
