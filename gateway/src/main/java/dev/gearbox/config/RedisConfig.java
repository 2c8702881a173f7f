package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Locale;

/**
 * The Redis that replicas share their keys, limits and spend through: one server ({@code url}), a Redis Cluster
 * ({@code cluster}, its seed nodes) or a primary that Sentinel manages ({@code sentinel}); exactly one of them.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}
 * @param cluster seed nodes of a Redis Cluster, e.g. {@code [redis://10.0.0.1:6379, redis://10.0.0.2:6379]}; the
 *                client learns the rest of the cluster from any of them
 * @param sentinel the Sentinel-managed primary
 * @param onUnavailable what admission does while Redis cannot be reached
 * @param timeoutMs how long a command may wait for Redis's answer before Redis counts as unreachable; within
 *                  every request's deadline, so the fail mode answers before the deadline does
 * @param durableReplicas how many replicas must hold a write that counts spend or hands out a lease before the
 *                        gateway relies on it (Redis {@code WAIT}), so a failover that promotes a replica loses
 *                        none of it; 1 by default with {@code sentinel} or {@code cluster}, 0 with {@code url}
 */
public record RedisConfig(String url, List<String> cluster, Sentinel sentinel, OnUnavailable onUnavailable,
                          Long timeoutMs, Integer durableReplicas) {

    public static final long DEFAULT_TIMEOUT_MS = 1000;

    public RedisConfig {
        timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout_ms: " + timeoutMs + " (expected: > 0)");
        }
        int given = (url == null ? 0 : 1) + (cluster == null ? 0 : 1) + (sentinel == null ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException((given == 0 ? "url: missing" : "url, cluster, sentinel: " + given + " given")
                    + " (expected: one of url: redis://host:port, cluster: [redis://host:port, ...] or"
                    + " sentinel: {master: NAME, nodes: [redis://host:port, ...]})");
        }
        if (url != null) {
            checkUrl("url", url);
        }
        if (cluster != null) {
            cluster = List.copyOf(cluster);
            if (cluster.isEmpty()) {
                throw new IllegalArgumentException("cluster: [] (expected: at least one seed node, redis://host:port)");
            }
            for (int i = 0; i < cluster.size(); i++) {
                checkUrl("cluster[" + i + "]", cluster.get(i));
            }
        }
        onUnavailable = onUnavailable == null ? OnUnavailable.FAIL_CLOSED : onUnavailable;
        durableReplicas = durableReplicas == null ? (url == null ? 1 : 0) : durableReplicas;
        if (durableReplicas < 0) {
            throw new IllegalArgumentException("durable_replicas: " + durableReplicas + " (expected: >= 0)");
        }
    }

    /** One server at {@code url}, failing closed, with the default timeout. */
    public static RedisConfig single(String url) {
        return new RedisConfig(url, null, null, null, null, null);
    }

    /** How the servers are laid out. */
    public Topology topology() {
        return url != null ? Topology.SINGLE : cluster != null ? Topology.CLUSTER : Topology.SENTINEL;
    }

    /** Where to connect: the url, the cluster's seed nodes, or the sentinels. */
    public List<String> endpoints() {
        return switch (topology()) {
            case SINGLE -> List.of(url);
            case CLUSTER -> cluster;
            case SENTINEL -> sentinel.nodes();
        };
    }

    /** As the logs and the start-up line name it. */
    public String describe() {
        return switch (topology()) {
            case SINGLE -> url;
            case CLUSTER -> "cluster " + String.join(",", cluster);
            case SENTINEL -> "sentinel " + sentinel.master() + "@" + String.join(",", sentinel.nodes());
        };
    }

    static void checkUrl(String field, String url) {
        if (url == null || !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException(field + ": '" + url + "' (expected: redis://host:port or rediss://host:port)");
        }
    }

    /** The layouts the gateway speaks to. */
    public enum Topology {
        SINGLE, CLUSTER, SENTINEL
    }

    /**
     * A primary that Sentinel watches and replaces with a replica when it fails.
     *
     * @param master the name the sentinels know it by ({@code sentinel monitor NAME ...})
     * @param nodes the sentinels
     */
    public record Sentinel(String master, List<String> nodes) {

        public Sentinel {
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("sentinel.master: " + (master == null ? "missing" : "''")
                        + " (expected: the name the sentinels monitor)");
            }
            if (nodes == null || nodes.isEmpty()) {
                throw new IllegalArgumentException("sentinel.nodes: " + (nodes == null ? "missing" : "[]")
                        + " (expected: at least one sentinel, redis://host:port)");
            }
            nodes = List.copyOf(nodes);
            for (int i = 0; i < nodes.size(); i++) {
                checkUrl("sentinel.nodes[" + i + "]", nodes.get(i));
            }
        }
    }

    /** What admission does while Redis cannot be reached. */
    public enum OnUnavailable {
        /** Serve, counting in this replica alone until Redis is back. */
        FAIL_OPEN,
        /** Refuse with 503. */
        FAIL_CLOSED;

        @JsonCreator
        public static OnUnavailable parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("on_unavailable: '" + text + "' (expected: fail_open or fail_closed)");
            }
        }
    }
}
