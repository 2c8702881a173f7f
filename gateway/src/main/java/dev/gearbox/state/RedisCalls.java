package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands the Redis stores send, with what they share: whether Redis answers (a connection failure or a
 * command without an answer in time makes it unavailable, any answer available again), the commands still on
 * their way (closing waits for them), scripts sent by their SHA and whole only when Redis has forgotten them,
 * and writes that count only once replicas hold them ({@code WAIT}), so a failover that promotes a replica loses
 * none of them.
 */
final class RedisCalls {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCalls.class);
    private static final long WARN_EVERY_MS = 60_000;

    private final Redis redis;
    private final Clock clock;
    private final int durableReplicas;
    private final long waitMs;
    private final Set<Future<?>> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicLong unreplicated = new AtomicLong();
    private final AtomicLong lastWarnMs = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile boolean available = true;

    private RedisCalls(Redis redis, Clock clock, int durableReplicas, long waitMs) {
        this.redis = redis;
        this.clock = clock;
        this.durableReplicas = durableReplicas;
        this.waitMs = waitMs;
    }

    /**
     * @param durableReplicas how many replicas must acknowledge a durable write; 0 trusts the primary alone
     * @param waitMs how long a durable write waits for them before it is trusted to the primary alone (and counted
     *               in {@link #unreplicated})
     */
    static RedisCalls over(Redis redis, Clock clock, int durableReplicas, long waitMs) {
        if (durableReplicas < 0) {
            throw new IllegalArgumentException("durableReplicas: " + durableReplicas + " (expected: >= 0)");
        }
        if (waitMs <= 0) {
            throw new IllegalArgumentException("waitMs: " + waitMs + " (expected: > 0)");
        }
        return new RedisCalls(redis, clock, durableReplicas, waitMs);
    }

    Redis redis() {
        return redis;
    }

    /** Runs a script that only reads, or whose loss in a failover costs nothing. */
    Future<Response> run(LuaScript script, List<String> keys, List<String> args) {
        Request evalsha = script.request(Command.EVALSHA, script.sha(), keys, args);
        return guard(redis.send(evalsha).recover(e -> {
            // A Redis that restarted (or was flushed, or a Cluster node new to this slot) has forgotten the script.
            if (noScript(e)) {
                return redis.send(script.request(Command.EVAL, script.text(), keys, args));
            }
            return Future.failedFuture(e);
        }));
    }

    /** Runs a script that writes spend or hands out room, answered once {@code durableReplicas} replicas hold it. */
    Future<Response> runDurable(LuaScript script, List<String> keys, List<String> args) {
        if (durableReplicas == 0) {
            return run(script, keys, args);
        }
        return guard(durably(script.request(Command.EVALSHA, script.sha(), keys, args)).recover(e -> noScript(e)
                ? durably(script.request(Command.EVAL, script.text(), keys, args)) : Future.failedFuture(e)));
    }

    Future<Response> send(Request request) {
        return guard(redis.send(request));
    }

    /**
     * Commands of one slot in one round trip. A Cluster client does not follow a redirect inside a batch, so
     * after a failover, until it has learnt the new layout, a redirected batch is sent again a command at a
     * time, each following its redirect.
     */
    Future<List<Response>> batch(List<Request> requests) {
        return guard(redis.batch(requests).recover(e -> redirected(e) ? oneByOne(requests) : Future.failedFuture(e)));
    }

    private Future<List<Response>> oneByOne(List<Request> requests) {
        List<Future<Response>> answers = new ArrayList<>(requests.size());
        for (Request request : requests) {
            answers.add(redis.send(request));
        }
        return Future.all(answers).map(all -> all.list());
    }

    boolean available() {
        return available;
    }

    /** Durable writes that no replica acknowledged in time, trusted to the primary alone. */
    long unreplicated() {
        return unreplicated.get();
    }

    /** Closes the client once the commands on their way (a shutdown's last settles) are answered or timed out. */
    Future<Void> close() {
        return Future.join(new ArrayList<>(outstanding)).transform(ar -> redis.close());
    }

    /** The write and a {@code WAIT} on the same connection, in one round trip (in a Cluster, on the key's node). */
    private Future<Response> durably(Request write) {
        return redis.batch(List.of(write, Request.cmd(Command.WAIT).arg(durableReplicas).arg(waitMs))).map(answers -> {
            long acknowledged = answers.get(1).toLong();
            if (acknowledged < durableReplicas) {
                unreplicated.incrementAndGet();
                long now = clock.millis();
                long last = lastWarnMs.get();
                if (now - last >= WARN_EVERY_MS && lastWarnMs.compareAndSet(last, now)) {
                    LOG.warn("redis: a write reached {} of {} replicas within {} ms; a failover now could lose it"
                                    + " (state.redis.durable_replicas: 0 if the primaries have no replicas)", acknowledged,
                            durableReplicas, waitMs);
                }
            }
            return answers.get(0);
        });
    }

    private static boolean redirected(Throwable e) {
        // A batch reports its failed command as "ERR [index] MOVED <slot> <host:port>" (or ASK).
        String message = String.valueOf(e.getMessage());
        return message.contains("MOVED ") || message.contains("ASK ");
    }

    private static boolean noScript(Throwable e) {
        // A batch reports its failed command as "ERR [index] NOSCRIPT ...".
        return String.valueOf(e.getMessage()).contains("NOSCRIPT");
    }

    /** Marks Redis unavailable on a connection failure or a command without an answer in time, available on any answer. */
    private <T> Future<T> guard(Future<T> future) {
        Future<T> guarded = future.transform(ar -> {
            if (ar.succeeded()) {
                available = true;
                return Future.succeededFuture(ar.result());
            }
            Throwable e = ar.cause();
            if (e instanceof ErrorType error && !unreachable(error)) {
                available = true;
                return Future.failedFuture(e);
            }
            available = false;
            return Future.failedFuture(e instanceof StoreUnavailableException ? e
                    : new StoreUnavailableException("redis: " + e.getMessage(), e));
        });
        outstanding.add(guarded);
        guarded.onComplete(ar -> outstanding.remove(guarded));
        return guarded;
    }

    /**
     * Errors Redis answers while it cannot serve the write: a Cluster slot whose primary is gone, a replica that was
     * a primary and has not learnt it yet, a server still loading its data after a restart.
     */
    private static boolean unreachable(ErrorType error) {
        return error.is("CLUSTERDOWN") || error.is("READONLY") || error.is("LOADING") || error.is("TRYAGAIN")
                || error.is("MASTERDOWN");
    }
}
