package dev.gearbox.providers.simulated;

import dev.gearbox.config.ProviderOptions;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import dev.gearbox.tokens.TokenCounter;
import java.util.Set;

/** {@code type: simulated}: the built-in models that answer locally; nothing to configure, no URL to call. */
public final class SimulatedFamily implements ProviderFamily {

    @Override
    public String type() {
        return "simulated";
    }

    @Override
    public void check(ProviderOptions options) {
        options.allowOnly(type(), Set.of());
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        return null;
    }

    @Override
    public boolean callsUpstream() {
        return false;
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        return () -> new SimulatedProvider(setup.vertx(), setup.clock(), TokenCounter.shared());
    }
}
