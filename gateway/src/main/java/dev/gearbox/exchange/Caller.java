package dev.gearbox.exchange;

import java.util.Objects;

/**
 * Who sent a request.
 *
 * @param tenant the tenant its key belongs to
 * @param keyName the name of its key (the key's environment variable), never the key; null without keys
 * @param keyId the key's id, as the access log and usage name it, never the key; null without keys
 */
public record Caller(String tenant, String keyName, String keyId) {

    /** A request on a gateway without inbound keys. */
    public static final Caller ANONYMOUS = new Caller("anonymous", null, null);

    public Caller {
        Objects.requireNonNull(tenant, "tenant");
    }

    public Caller(String tenant, String keyName) {
        this(tenant, keyName, null);
    }
}
