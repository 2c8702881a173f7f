package dev.gearbox.providers.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token and when it stops being good, by the gateway's clock.
 *
 * @param value the token; never logged ({@link #toString()} does not show it)
 * @param expiresAt when it expires
 */
public record AccessToken(String value, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("value: blank (expected: a token)");
        }
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + "]";
    }
}
