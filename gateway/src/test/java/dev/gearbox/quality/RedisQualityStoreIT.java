package dev.gearbox.quality;

import dev.gearbox.config.RedisConfig;
import dev.gearbox.state.RedisClients;
import dev.gearbox.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The quality store's keys and scripts against a real {@code redis-server}. */
@Timeout(60)
class RedisQualityStoreIT extends QualityStoreContract {

    @TempDir
    static Path dir;
    private static RedisServer server;
    private static Vertx vertx;
    private static Redis redis;
    private static RedisQualityStore store;

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir);
        vertx = Vertx.vertx();
        redis = RedisClients.create(vertx, new RedisConfig(server.url(), null, null, null, 5000L, null));
        store = RedisQualityStore.over(redis);
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.close().await();
        server.close();
    }

    @Override
    QualityStore store() {
        return store;
    }

    @Override
    Instant now() {
        return Instant.now();
    }
}
