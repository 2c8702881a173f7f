package dev.gearbox.server;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ProviderKinds;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import dev.gearbox.providers.Providers;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configured providers, each opened once by its family (what its event loops share, such as a token
 * source, is made then), and each event loop's own providers made from them. No family is named here: they
 * register themselves as services.
 */
final class ProviderFactory implements AutoCloseable {

    private final Map<String, ConfiguredProvider> configured;

    private ProviderFactory(Map<String, ConfiguredProvider> configured) {
        this.configured = configured;
    }

    static ProviderFactory open(Vertx vertx, Clock clock, GearboxConfig config) {
        Map<String, ConfiguredProvider> configured = new LinkedHashMap<>();
        config.providers().forEach((name, provider) -> {
            if (!(ProviderKinds.find(provider.type()) instanceof ProviderFamily family)) {
                throw new IllegalStateException("provider type '" + provider.type() + "' is registered without a factory");
            }
            configured.put(name, family.open(new ProviderSetup(name, provider, vertx, clock)));
        });
        return new ProviderFactory(configured);
    }

    /** The providers of the event loop this is called on. */
    Providers onLoop() {
        Map<String, Provider> byName = new HashMap<>();
        configured.forEach((name, provider) -> byName.put(name, provider.onLoop()));
        return new Providers(byName);
    }

    @Override
    public void close() {
        configured.values().forEach(ConfiguredProvider::close);
    }
}
