package dev.gearbox.config;

import java.util.List;

/**
 * Settings of the gateway's HTTP server.
 *
 * @param host address to bind
 * @param port TCP port; 0 picks a free one
 * @param maxBodyBytes largest request body accepted before answering 413
 * @param eventLoops number of server verticle instances, one per event loop
 * @param apiKeys inbound keys; when empty, requests need no key
 * @param adminToken bearer token for {@code /admin} endpoints; null leaves them open
 * @param accessLog whether to write one JSON line per request to the {@code gearbox.access} logger
 * @param logPrompts whether access log lines include the last user message
 * @param drainTimeoutMs on shutdown, how long requests and streams in flight may take to finish
 * @param bodyTimeoutMs how long a request's body may take to arrive once its head has; then 408
 * @param headTimeoutMs how long a connection may go without a request in progress (from its opening or its
 *     last answer to the end of the next request's head); then it is closed
 */
public record ServerConfig(
        String host, Integer port, Long maxBodyBytes, Integer eventLoops, List<ApiKeyConfig> apiKeys,
        Secret adminToken, Boolean accessLog, Boolean logPrompts, Long drainTimeoutMs, Long bodyTimeoutMs,
        Long headTimeoutMs) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;

    public ServerConfig {
        host = host == null || host.isBlank() ? "0.0.0.0" : host;
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max_body_bytes: " + maxBodyBytes + " (expected: >= 1024)");
        }
        eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        if (eventLoops < 1 || eventLoops > 256) {
            throw new IllegalArgumentException("event_loops: " + eventLoops + " (expected: 1..256)");
        }
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        accessLog = accessLog == null || accessLog;
        logPrompts = logPrompts != null && logPrompts;
        drainTimeoutMs = drainTimeoutMs == null ? 30_000L : drainTimeoutMs;
        if (drainTimeoutMs < 0) {
            throw new IllegalArgumentException("drain_timeout_ms: " + drainTimeoutMs + " (expected: >= 0)");
        }
        bodyTimeoutMs = bodyTimeoutMs == null ? 30_000L : bodyTimeoutMs;
        if (bodyTimeoutMs < 1) {
            throw new IllegalArgumentException("body_timeout_ms: " + bodyTimeoutMs + " (expected: >= 1)");
        }
        headTimeoutMs = headTimeoutMs == null ? 60_000L : headTimeoutMs;
        if (headTimeoutMs < 1) {
            throw new IllegalArgumentException("head_timeout_ms: " + headTimeoutMs + " (expected: >= 1)");
        }
        long distinct = apiKeys.stream().map(k -> k.key().value()).distinct().count();
        if (distinct != apiKeys.size()) {
            throw new IllegalArgumentException("api_keys: the same key is listed twice (expected: distinct keys)");
        }
    }

    /** The defaults: all interfaces, port 8080, 8 MiB bodies, one event loop per core, no keys. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This config with another port. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxBodyBytes, eventLoops, apiKeys, adminToken, accessLog, logPrompts,
                drainTimeoutMs, bodyTimeoutMs, headTimeoutMs);
    }
}
