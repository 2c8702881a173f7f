package dev.gearbox.providers;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * A request as it will go out, for an {@link Authentication} that must see it whole: its URL, its headers
 * (which it may add to) and its body. Confined to one call.
 *
 * @param method the HTTP method
 * @param scheme {@code http} or {@code https}
 * @param host the host
 * @param port the port
 * @param path the path, percent-encoded as sent
 * @param query the query as sent, without {@code ?}; null for none
 * @param headers the headers, to which authentication adds its own
 * @param body the body's bytes
 */
public record OutgoingRequest(HttpMethod method, String scheme, String host, int port, String path, String query,
                              MultiMap headers, Buffer body) {

    /** Whether the port is the scheme's own, so a Host header names no port. */
    public boolean defaultPort() {
        return port == ("https".equals(scheme) ? 443 : 80);
    }
}
