package dev.gearbox.state;

import dev.gearbox.config.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

/**
 * The gateway's pooled Redis client for a config's layout, in the Vert.x client's own modes: one server, a
 * Cluster (the client maps slots to primaries from any seed node, follows {@code MOVED} and re-reads the map
 * each second, so a promoted replica is found) or a Sentinel-managed primary (the client asks the sentinels
 * where the primary is, again each second, so new connections go to a promoted replica). Every command is
 * bounded by the config's timeout ({@link TimedRedis}).
 */
public final class RedisClients {

    private static final int POOL = 16;

    private RedisClients() {
    }

    public static Redis create(Vertx vertx, RedisConfig config) {
        RedisOptions options = new RedisOptions().setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(POOL).setMaxPoolWaiting(1024);
        config.endpoints().forEach(options::addConnectionString);
        switch (config.topology()) {
            case SINGLE -> options.setType(RedisClientType.STANDALONE);
            // Writes and the reads that decide them go to primaries only: a replica may lag behind.
            case CLUSTER -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
            case SENTINEL -> options.setType(RedisClientType.SENTINEL).setMasterName(config.sentinel().master())
                    .setRole(RedisRole.MASTER);
        }
        return TimedRedis.of(Redis.createClient(vertx, options), config.timeoutMs());
    }
}
