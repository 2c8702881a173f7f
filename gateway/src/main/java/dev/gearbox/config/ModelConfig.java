package dev.gearbox.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model a client may name, and where it is served.
 *
 * @param id the name clients use
 * @param provider the name of the provider that serves it
 * @param upstream the model name sent upstream; defaults to {@code id}
 * @param kind chat or embeddings
 * @param simulation behaviour, for models of a simulated provider
 */
public record ModelConfig(String id, String provider, String upstream, ModelKind kind, SimulationConfig simulation) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");

    public ModelConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id
                    + "' (expected: 1-128 characters of letters, digits and ._:/@-, starting with a letter or digit)");
        }
        Objects.requireNonNull(provider, "provider: missing (expected: the name of a provider in providers)");
        upstream = upstream == null || upstream.isBlank() ? id : upstream;
        kind = kind == null ? ModelKind.CHAT : kind;
        simulation = simulation == null ? SimulationConfig.instant() : simulation;
    }
}
