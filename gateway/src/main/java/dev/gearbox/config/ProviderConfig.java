package dev.gearbox.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream provider: where it is and how to authenticate.
 *
 * @param type the provider family
 * @param baseUrl base URL of the provider's API, such as {@code https://api.openai.com/v1}; for
 *     {@code anthropic} it defaults to {@code https://api.anthropic.com/v1}
 * @param apiKey key from an environment variable, sent as a bearer token ({@code x-api-key} to Anthropic);
 *     null for keyless endpoints
 * @param headers extra headers sent with every request (for example {@code OpenAI-Organization}, or
 *     {@code anthropic-version} and {@code anthropic-beta} for Anthropic)
 * @param connectTimeoutMs time allowed to open a connection
 * @param readTimeoutMs time allowed without a byte from upstream: before the first byte and between chunks
 * @param maxConnections connection pool size per event loop; as many calls may wait for a connection besides
 * @param poolWaitMs how much longer than opening a connection ({@code connectTimeoutMs}) a call may wait for
 *     a pooled one before it is refused with 503 and {@code Retry-After}; the provider was not asked, so this
 *     is never held against it
 * @param apis the OpenAI APIs an {@code openai} provider serves: chat completions always, and the Responses
 *     API and legacy completions when listed, so such a request is sent to it as the client wrote it
 */
public record ProviderConfig(
        ProviderType type, String baseUrl, Secret apiKey, Map<String, String> headers,
        Long connectTimeoutMs, Long readTimeoutMs, Integer maxConnections, Long poolWaitMs, List<ProviderApi> apis) {

    /**
     * LLM calls hold their connection for the whole answer, seconds to minutes, so a pool sized for short
     * calls turns a burst of streams into a queue. The default holds as many streams as a process's file
     * limit usually allows (two sockets a stream); connections are opened only as calls need them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ProviderConfig {
        Objects.requireNonNull(type, "type: missing (expected: openai, anthropic or simulated)");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
        readTimeoutMs = readTimeoutMs == null ? 120_000L : readTimeoutMs;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        poolWaitMs = poolWaitMs == null ? 1_000L : poolWaitMs;
        apis = apis == null ? List.of(ProviderApi.CHAT_COMPLETIONS) : List.copyOf(apis);
        if (!apis.contains(ProviderApi.CHAT_COMPLETIONS)) {
            throw new IllegalArgumentException("apis: " + apis + " (expected: chat_completions among them)");
        }
        if (apis.size() > 1 && type != ProviderType.OPENAI) {
            throw new IllegalArgumentException("apis: " + apis + " (expected: only chat_completions but on an openai provider)");
        }
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
        if (type == ProviderType.ANTHROPIC && (baseUrl == null || baseUrl.isBlank())) {
            baseUrl = "https://api.anthropic.com/v1";
        }
        if (type != ProviderType.SIMULATED) {
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

    /** Whether this provider serves {@code api} itself. */
    public boolean serves(ProviderApi api) {
        return apis.contains(api);
    }

    /** A simulated provider with default settings. */
    public static ProviderConfig simulated() {
        return new ProviderConfig(ProviderType.SIMULATED, null, null, null, null, null, null, null, null);
    }
}
