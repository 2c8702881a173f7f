package dev.gearbox.server;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.QualityConfig;
import dev.gearbox.quality.InProcessQualityStore;
import dev.gearbox.quality.Quality;
import dev.gearbox.quality.QualityStore;
import dev.gearbox.quality.RedisQualityStore;
import dev.gearbox.quality.Sampler;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.telemetry.QualityMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Makes the quality capability from the config, or nothing without a {@code quality} section: its log where the
 * gateway keeps its state (Redis, else {@code quality.file}, else {@code quality.json} beside {@code state.file},
 * else memory), and its meters (Periodic reads the shared tally for the gauges).
 */
final class QualityFactory {

    private QualityFactory() {
    }

    /** The capability, or null when the config has no quality section. */
    static Quality create(GearboxConfig config, RoutingRules rules, Vertx vertx, Redis redis, Clock clock,
                          MeterRegistry meters, RandomGenerator random) {
        QualityConfig quality = config.quality();
        if (quality == null) {
            return null;
        }
        return Quality.of(quality, rules, store(config, vertx, redis, clock), Sampler.of(random, new java.util.SplittableRandom()), new QualityMetrics(meters),
                clock, config.state().zoneId());
    }

    private static QualityStore store(GearboxConfig config, Vertx vertx, Redis redis, Clock clock) {
        if (redis != null) {
            return RedisQualityStore.over(redis);
        }
        String file = config.quality().file() != null ? config.quality().file()
                : config.state().file() != null ? Path.of(config.state().file()).resolveSibling("quality.json").toString() : null;
        return file == null ? InProcessQualityStore.inMemory(clock) : InProcessQualityStore.persistent(clock, vertx, Path.of(file));
    }

    /** Closes the quality log, if there is one: the file log writes its last state here. */
    static void close(Quality quality) {
        if (quality != null) {
            quality.store().close();
        }
    }
}
