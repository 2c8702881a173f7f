package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis client with a bound on every command: a Redis that stops answering without closing its
 * connections (stopped, swapping, a network that drops packets) would otherwise hold each request until its
 * own deadline. A command with no answer in time fails with a {@link StoreUnavailableException}, as a
 * refused connection does, so the stores' fail mode and readiness follow it. The command may still run when
 * Redis answers again; the stores' scripts are written so that a late one does no harm.
 */
public final class TimedRedis implements Redis {

    private final Redis redis;
    private final long timeoutMs;

    private TimedRedis(Redis redis, long timeoutMs) {
        this.redis = redis;
        this.timeoutMs = timeoutMs;
    }

    /** @param timeoutMs how long a command may wait for its answer */
    public static TimedRedis of(Redis redis, long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs: " + timeoutMs + " (expected: > 0)");
        }
        return new TimedRedis(redis, timeoutMs);
    }

    @Override
    public Future<Response> send(Request command) {
        return timed(redis.send(command));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        return timed(redis.batch(commands));
    }

    /** A connection of its own, for commands that need one (none of the gateway's); not timed. */
    @Override
    public Future<RedisConnection> connect() {
        return redis.connect();
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }

    private <T> Future<T> timed(Future<T> answer) {
        return answer.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(
                e instanceof TimeoutException ? new StoreUnavailableException("redis: no answer within " + timeoutMs + " ms", e)
                        : e));
    }
}
