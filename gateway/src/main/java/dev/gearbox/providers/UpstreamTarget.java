package dev.gearbox.providers;

import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * Where one attempt goes and how it proves who sends it, as its translator decides for this model and
 * request: a model or deployment in the path, a query, a signature.
 *
 * @param method the HTTP method
 * @param path the path below the provider's base URL, already percent-encoded, starting with {@code /}
 * @param query the query without {@code ?}, already encoded; null for none
 * @param authentication what proves the caller on this call
 */
public record UpstreamTarget(HttpMethod method, String path, String query, Authentication authentication) {

    public UpstreamTarget {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(authentication, "authentication");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: a path starting with /)");
        }
        if (query != null && query.isEmpty()) {
            query = null;
        }
    }

    /** A POST to {@code path} with no query. */
    public static UpstreamTarget post(String path, Authentication authentication) {
        return new UpstreamTarget(HttpMethod.POST, path, null, authentication);
    }

    /** This target with {@code query}. */
    public UpstreamTarget withQuery(String query) {
        return new UpstreamTarget(method, path, query, authentication);
    }

    /** The path and query, as a request line carries them. */
    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }
}
