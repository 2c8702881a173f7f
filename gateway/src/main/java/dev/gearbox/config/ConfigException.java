package dev.gearbox.config;

/** A configuration that cannot be used, with a message naming the file, line and field. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
