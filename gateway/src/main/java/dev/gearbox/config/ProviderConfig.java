package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One upstream provider: its family, where it is, and the options every family shares. The fields only its
 * family knows ({@code api_version}, {@code region}, ...) are in {@link #options()}, checked by the family's
 * {@link ProviderKind} as the config is read.
 *
 * @param type the provider family's name, as registered by its {@link ProviderKind}
 * @param baseUrl base URL of the provider's API, such as {@code https://api.openai.com/v1}; the family's
 *     default when not given (Anthropic's, Gemini's, Bedrock's for the region, Vertex's for the location)
 * @param apiKey key from an environment variable, sent the family's way; null for none
 * @param headers extra headers sent with every request (for example {@code OpenAI-Organization}, or
 *     {@code anthropic-version} and {@code anthropic-beta} for Anthropic)
 * @param connectTimeoutMs time allowed to open a connection
 * @param readTimeoutMs time allowed without a byte from upstream: before the first byte and between chunks
 * @param maxConnections connection pool size per event loop; as many calls may wait for a connection besides
 * @param poolWaitMs how much longer than opening a connection ({@code connectTimeoutMs}) a call may wait for
 *     a pooled one before it is refused with 503 and {@code Retry-After}; the provider was not asked, so this
 *     is never held against it
 * @param extra the family's own fields, as written
 */
public record ProviderConfig(
        String type, String baseUrl, Secret apiKey, Map<String, String> headers,
        Long connectTimeoutMs, Long readTimeoutMs, Integer maxConnections, Long poolWaitMs,
        @JsonAnySetter Map<String, ProviderOption> extra) {

    /**
     * LLM calls hold their connection for the whole answer, seconds to minutes, so a pool sized for short
     * calls turns a burst of streams into a queue. The default holds as many streams as a process's file
     * limit usually allows (two sockets a stream); connections are opened only as calls need them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ProviderConfig {
        ProviderKind kind = ProviderKinds.find(type);
        type = kind.type();
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
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
        ProviderOptions options = ProviderOptions.of(extra);
        kind.check(options);
        if (kind.callsUpstream()) {
            if (baseUrl == null || baseUrl.isBlank()) {
                baseUrl = kind.defaultBaseUrl(options);
            }
            baseUrl = checkedUrl(baseUrl);
        }
    }

    private static String checkedUrl(String baseUrl) {
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
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The family's own fields, for it to read. */
    public ProviderOptions options() {
        return ProviderOptions.of(extra);
    }

    /** Every secret of this provider: its key and the family's own. */
    public List<Secret> secrets() {
        List<Secret> secrets = new ArrayList<>(options().secrets());
        if (apiKey != null) {
            secrets.add(apiKey);
        }
        return secrets;
    }

    /** A simulated provider with default settings. */
    public static ProviderConfig simulated() {
        return new ProviderConfig("simulated", null, null, null, null, null, null, null, null);
    }
}
