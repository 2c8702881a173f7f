package dev.gearbox.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the gateway's YAML configuration, expanding {@code ${ENV_VAR}} references.
 *
 * <p>Every problem becomes a {@link ConfigException} whose message names the file, the line and the
 * field, so an operator can fix it without reading a stack trace.
 */
public final class ConfigLoader {

    /** Classpath location of the embedded default: simulated models, no keys needed. */
    public static final String EMBEDDED_DEFAULT = "/gearbox-default.yaml";

    private final Map<String, String> env;

    private ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A loader that expands references from the given environment. */
    public static ConfigLoader of(Map<String, String> env) {
        return new ConfigLoader(env);
    }

    /** Loads a config file. */
    public GearboxConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Loads the embedded default configuration. */
    public GearboxConfig embeddedDefault() {
        try (InputStream in = Objects.requireNonNull(ConfigLoader.class.getResourceAsStream(EMBEDDED_DEFAULT),
                "embedded default config missing from the jar")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded default");
        } catch (IOException e) {
            throw new ConfigException("embedded default: cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses config text; {@code source} names it in error messages. */
    public GearboxConfig parse(String yaml, String source) {
        if (yaml.isBlank()) {
            throw new ConfigException(source + ": the file is empty (expected: at least a models section)");
        }
        GearboxConfig config = YamlReader.of(env).read(yaml, source, GearboxConfig.class);
        if (config == null) {
            throw new ConfigException(source + ": the file is empty (expected: at least a models section)");
        }
        return config;
    }
}

