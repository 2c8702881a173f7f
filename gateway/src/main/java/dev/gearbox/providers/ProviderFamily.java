package dev.gearbox.providers;

import dev.gearbox.config.ProviderKind;

/**
 * A provider family: its name, checks and defaults (as a {@link ProviderKind}, which the config reads) and
 * how its providers are made. A family is its own package plus one line in
 * {@code META-INF/services/dev.gearbox.config.ProviderKind}; nothing else names it.
 */
public interface ProviderFamily extends ProviderKind {

    /**
     * One configured provider of this family, made once per gateway: what its event loops share, such as a
     * refreshing token or credentials, is made here.
     */
    ConfiguredProvider open(ProviderSetup setup);
}
