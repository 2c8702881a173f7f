package dev.gearbox.config;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream provider: where it is and how to authenticate.
 *
 * @param type the provider family
 * @param baseUrl base URL of an OpenAI-compatible API, such as {@code https://api.openai.com/v1}
 * @param apiKey key sent as a bearer token, from an environment variable; null for keyless endpoints
 * @param headers extra headers sent with every request (for example {@code OpenAI-Organization})
 * @param connectTimeoutMs time allowed to open a connection
 * @param readTimeoutMs time allowed without a byte from upstream: before the first byte and between chunks
 * @param maxConnections connection pool size per event loop; as many calls may wait for a connection besides
 * @param poolWaitMs how much longer than opening a connection ({@code connectTimeoutMs}) a call may wait for
 *     a pooled one before it is refused with 503 and {@code Retry-After}; the provider was not asked, so this
 *     is never held against it
 */
public record ProviderConfig(
        ProviderType type, String baseUrl, Secret apiKey, Map<String, String> headers,
        Long connectTimeoutMs, Long readTimeoutMs, Integer maxConnections, Long poolWaitMs) {

    /**
     * LLM calls hold their connection for the whole answer, seconds to minutes, so a pool sized for short
     * calls turns a burst of streams into a queue. The default holds as many streams as a process's file
     * limit usually allows (two sockets a stream); connections are opened only as calls need them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ProviderConfig {
        Objects.requireNonNull(type, "type: missing (expected: openai or simulated)");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 120_000L : readTimeoutMs;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        poolWaitMs = poolWaitMs == null ? 1_000L : poolWaitMs;
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connect_timeout_ms: " + connectTimeoutMs + " (expected: > 0)");
        }
        if (readTimeoutMs <= 0) {
            throw new IllegalArgumentException("read_timeout_ms: " + readTimeoutMs + " (expected: > 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max_connections: " + maxConnections + " (expected: >= 1)");
        }
        if (poolWaitMs <= 0) {
            throw new IllegalArgumentException("pool_wait_ms: " + poolWaitMs + " (expected: > 0)");
        }
        if (type == ProviderType.OPENAI) {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("base_url: missing (expected: an http(s) URL such as https://api.openai.com/v1)");
            }
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("base_url: '" + baseUrl + "' (expected: an http(s) URL)");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("base_url: '" + baseUrl + "' (expected: an http(s) URL)");
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
    }

    /** A simulated provider with default settings. */
    public static ProviderConfig simulated() {
        return new ProviderConfig(ProviderType.SIMULATED, null, null, null, null, null, null, null);
    }
}
