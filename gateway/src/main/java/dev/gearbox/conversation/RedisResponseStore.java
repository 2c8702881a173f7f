package dev.gearbox.conversation;

import dev.gearbox.state.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The response store replicas share: one Redis string per response, {@code gearbox:{tenant}:response:<id>},
 * written with {@code SET ... PX ttl} so storing and expiring are one atomic command and Redis, not this
 * process, forgets it. The tenant is the key's hash tag, as in {@code state/RedisStore}, so a tenant's keys
 * share a Redis Cluster slot; and since the tenant is part of the key, another tenant's id finds nothing.
 * The value is the response's length in decimal, a newline, the response's bytes and then the
 * conversation's, so both are kept as they were encoded, without parsing. Bounded by Redis's own
 * {@code maxmemory} (with a {@code volatile-*} policy the oldest expiring keys go first) rather than here.
 * A connection failure fails the future with a {@link StoreUnavailableException}; what it means for the
 * request is decided by {@link ConversationStage}.
 */
public final class RedisResponseStore implements ResponseStore {

    private final Redis redis;
    private final long ttlMillis;
    /** What the last command found; false only after a connection failure. */
    private volatile boolean available = true;

    private RedisResponseStore(Redis redis, long ttlMillis) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
    }

    /** @param ttl how long a response is kept after it was stored */
    public static RedisResponseStore of(Redis redis, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        return new RedisResponseStore(redis, ttl.toMillis());
    }

    @Override
    public Future<Void> put(String tenant, StoredResponse response) {
        Buffer value = Buffer.buffer(16 + response.response().length() + response.conversation().length())
                .appendString(Integer.toString(response.response().length())).appendByte((byte) '\n')
                .appendBuffer(response.response()).appendBuffer(response.conversation());
        return send(Request.cmd(Command.SET).arg(key(tenant, response.id())).arg(value).arg("PX").arg(ttlMillis))
                .mapEmpty();
    }

    @Override
    public Future<Optional<StoredResponse>> get(String tenant, String id) {
        return send(Request.cmd(Command.GET).arg(key(tenant, id)))
                .map(r -> r == null ? Optional.empty() : Optional.of(decode(id, r.toBuffer())));
    }

    @Override
    public Future<Boolean> delete(String tenant, String id) {
        return send(Request.cmd(Command.DEL).arg(key(tenant, id))).map(r -> r != null && r.toLong() > 0);
    }

    /** Trusts the last command's outcome, and after a failure asks again (one PING), so it sees Redis return. */
    @Override
    public Future<Void> ready() {
        return available ? Future.succeededFuture() : send(Request.cmd(Command.PING)).mapEmpty();
    }

    static String key(String tenant, String id) {
        // The braces are Redis Cluster's hash tag: a tenant's responses map to one slot.
        return "gearbox:{" + tenant + "}:response:" + id;
    }

    private static StoredResponse decode(String id, Buffer value) {
        int newline = 0;
        while (newline < value.length() && value.getByte(newline) != '\n') {
            newline++;
        }
        if (newline == value.length()) {
            throw new IllegalStateException("stored response " + id + " is not in the expected form (length, newline, bytes)");
        }
        int length = Integer.parseInt(value.getString(0, newline, StandardCharsets.US_ASCII.name()));
        int start = newline + 1;
        return new StoredResponse(id, value.getBuffer(start, start + length), value.getBuffer(start + length, value.length()));
    }

    private Future<Response> send(Request request) {
        return redis.send(request).transform(ar -> {
            if (ar.succeeded()) {
                available = true;
                return Future.succeededFuture(ar.result());
            }
            Throwable e = ar.cause();
            // Redis answered with an error: a bug here, not an outage.
            if (e instanceof io.vertx.redis.client.impl.types.ErrorType) {
                return Future.failedFuture(e);
            }
            available = false;
            return Future.failedFuture(new StoreUnavailableException("redis: " + e.getMessage(), e));
        });
    }
}
