package dev.gearbox.state;

import dev.gearbox.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store replicas share. Reserving and settling are each one Lua script, so one round trip, atomic
 * across replicas. Every key of a team carries the team in a hash tag ({@code gearbox:{team}:...}), so
 * a script touches one slot and runs on Redis Cluster too. Counters expire: rate windows after two
 * minutes, reservations after twice their TTL, day spend after three days, month spend after forty.
 * An account write is one script too ({@code account.lua}: its condition checked and the document written
 * in one step); the accounts are global, not a team's, so their three keys are not hash-tagged.
 */
public final class RedisStore implements Store {

    private static final LuaScript RESERVE = LuaScript.load("reserve.lua");
    private static final LuaScript SETTLE = LuaScript.load("settle.lua");
    private static final LuaScript ACCOUNT = LuaScript.load("account.lua");
    private static final String ACCOUNTS = "gearbox:accounts:";
    private static final String VERSION = "gearbox:accounts:version";
    private static final int MAX_USAGE_DAYS = 400;
    private static final String LATENCY = "gearbox:latency:";
    private static final String LATENCY_REPLICAS = "gearbox:latency:replicas";

    private final Redis redis;
    private final long settledKeepMs;
    /** Commands sent and not yet answered (or timed out), which closing waits for. */
    private final Set<Future<?>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean available = true;

    private RedisStore(Redis redis, long settledKeepMs) {
        this.redis = redis;
        this.settledKeepMs = settledKeepMs;
    }

    /**
     * A store over {@code redis}, which it closes when it is closed.
     *
     * @param reservationTtlMs how long reservations hold; a settled request is remembered for twice that, so
     *                         a reserve or settle of it that reaches Redis late, after an outage, does nothing
     */
    public static RedisStore over(Redis redis, long reservationTtlMs) {
        return new RedisStore(redis, 2 * reservationTtlMs);
    }

    /**
     * The gateway's pooled Redis client, shared with the response store so one pool serves both; every command
     * is bounded by the config's timeout ({@link TimedRedis}).
     */
    public static Redis client(Vertx vertx, RedisConfig config) {
        RedisOptions options = new RedisOptions().setConnectionString(config.url())
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(16).setMaxPoolWaiting(1024);
        return TimedRedis.of(Redis.createClient(vertx, options), config.timeoutMs());
    }

    @Override
    public Future<Verdict> reserve(Hold hold, long ttlMs) {
        Window w = hold.window();
        List<String> keys = new ArrayList<>(hold.scopes().size() * 8);
        List<String> args = new ArrayList<>(5 + hold.scopes().size() * 6);
        args.add(hold.id());
        args.add(Long.toString(w.nowMs()));
        args.add(Long.toString(hold.estimateNanos()));
        args.add(Long.toString(ttlMs));
        args.add(Long.toString(hold.tokens()));
        for (Scope scope : hold.scopes()) {
            scopeKeys(keys, hold.team(), scope, w);
            Limits l = scope.limits();
            for (long limit : new long[] {l.rpm(), l.tpm(), l.maxConcurrent(), l.dailyNanos(), l.monthlyNanos(),
                    l.totalNanos()}) {
                args.add(Long.toString(limit));
            }
        }
        keys.add(settledKey(hold.team()));
        return run(RESERVE, keys, args).map(r -> {
            if (r.type() != ResponseType.MULTI) {
                return Verdict.ADMITTED;
            }
            Scope scope = hold.scopes().get(r.get(0).toInteger());
            int limit = r.get(1).toInteger();
            long allowed = r.get(2).toLong();
            long used = r.get(3).toLong();
            long reserved = r.get(4).toLong();
            long requested = r.get(5).toLong();
            return switch (limit) {
                case 0 -> new Verdict.Refused(Verdict.Limit.RPM, scope.name(), allowed, used, reserved, requested,
                        (w.minute() + 1) * 60_000);
                case 1 -> new Verdict.Refused(Verdict.Limit.TPM, scope.name(), allowed, used, reserved, requested,
                        (w.minute() + 1) * 60_000);
                case 2 -> new Verdict.Refused(Verdict.Limit.CONCURRENCY, scope.name(), allowed, used, reserved, requested, -1);
                default -> {
                    Period period = Period.values()[limit - 3];
                    yield new Verdict.Refused(Verdict.Limit.ofBudget(period), scope.name(), allowed, used, reserved,
                            requested, w.resetMs(period));
                }
            };
        });
    }

    @Override
    public Future<Void> settle(Hold hold, Charge charge) {
        Window w = hold.window();
        List<String> keys = new ArrayList<>(hold.scopes().size() * 8 + 1);
        for (Scope scope : hold.scopes()) {
            scopeKeys(keys, hold.team(), scope, w);
        }
        keys.add(ledgerKey(hold.team(), w.day()));
        keys.add(settledKey(hold.team()));
        List<String> args = List.of(hold.id(), Long.toString(charge.costNanos()), Long.toString(charge.tokens()),
                (charge.key() == null ? "-" : charge.key()) + "|" + charge.model(), Long.toString(charge.baselineNanos()),
                Long.toString(charge.promptTokens()), Long.toString(charge.completionTokens()),
                charge == Charge.NOTHING ? "0" : "1", Long.toString(charge.tokens() - hold.tokens()), Long.toString(w.nowMs()),
                Long.toString(w.nowMs() + settledKeepMs), Long.toString(settledKeepMs));
        return run(SETTLE, keys, args).mapEmpty();
    }

    @Override
    public Future<Map<Period, Long>> spent(String team, String scope, Window window) {
        String prefix = prefix(team, scope);
        Request mget = Request.cmd(Command.MGET);
        for (Period period : Period.values()) {
            mget.arg(prefix + "spent:" + window.period(period));
        }
        return send(mget).map(r -> {
            Map<Period, Long> out = new EnumMap<>(Period.class);
            for (Period period : Period.values()) {
                Response v = r.get(period.ordinal());
                out.put(period, v == null ? 0L : v.toLong());
            }
            return out;
        });
    }

    @Override
    public Future<List<UsageRow>> usage(String team, String from, String to) {
        List<String> days = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)) && days.size() < MAX_USAGE_DAYS;
                d = d.plusDays(1)) {
            days.add(d.toString());
        }
        List<Request> batch = new ArrayList<>(days.size());
        for (String day : days) {
            batch.add(Request.cmd(Command.HGETALL).arg(ledgerKey(team, day)));
        }
        if (batch.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return guard(redis.batch(batch)).map(responses -> {
            List<UsageRow> rows = new ArrayList<>();
            for (int i = 0; i < days.size(); i++) {
                Map<String, long[]> byRow = new LinkedHashMap<>();
                Response fields = responses.get(i);
                for (int j = 0; j + 1 < fields.size(); j += 2) {
                    String field = fields.get(j).toString();
                    int cut = field.lastIndexOf('|');
                    long[] v = byRow.computeIfAbsent(field.substring(0, cut), k -> new long[5]);
                    int slot = "ncbpo".indexOf(field.charAt(cut + 1));
                    if (slot >= 0) {
                        v[slot] = fields.get(j + 1).toLong();
                    }
                }
                String day = days.get(i);
                byRow.forEach((keyModel, v) -> {
                    int bar = keyModel.indexOf('|');
                    rows.add(new UsageRow(day, keyModel.substring(0, bar), keyModel.substring(bar + 1), v[0], v[1], v[2],
                            v[3], v[4]));
                });
            }
            return rows;
        });
    }

    @Override
    public Future<Boolean> putAccount(String kind, String id, String json, AccountCondition condition) {
        String other = ACCOUNTS + kind;
        String name;
        String arg = "";
        if (condition instanceof AccountCondition.AbsentWhileExists depends) {
            name = "absent_while_exists";
            other = ACCOUNTS + depends.kind();
            arg = depends.id();
        } else if (condition instanceof AccountCondition.Unchanged unchanged) {
            name = "unchanged";
            arg = Long.toString(unchanged.version());
        } else {
            name = condition instanceof AccountCondition.Present ? "present" : "absent";
        }
        return run(ACCOUNT, List.of(ACCOUNTS + kind, VERSION, other), List.of(id, json == null ? "" : json, name, arg))
                .map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Map<String, String>> accounts(String kind) {
        return send(Request.cmd(Command.HGETALL).arg(ACCOUNTS + kind)).map(r -> {
            Map<String, String> out = new HashMap<>();
            for (int j = 0; j + 1 < r.size(); j += 2) {
                out.put(r.get(j).toString(), r.get(j + 1).toString());
            }
            return out;
        });
    }

    @Override
    public Future<Long> accountsVersion() {
        return send(Request.cmd(Command.GET).arg(VERSION)).map(r -> r == null ? 0L : r.toLong());
    }

    @Override
    public Future<Map<String, double[]>> shareLatency(String replica, Map<String, double[]> local, long nowMs, long ttlMs) {
        String mine = LATENCY + replica;
        List<Request> publish = new ArrayList<>();
        if (!local.isEmpty()) {
            Request hset = Request.cmd(Command.HSET).arg(mine);
            local.forEach((model, v) -> hset.arg(model).arg(v[0] + "," + v[1]));
            publish.add(hset);
            publish.add(Request.cmd(Command.PEXPIRE).arg(mine).arg(ttlMs));
        }
        publish.add(Request.cmd(Command.ZADD).arg(LATENCY_REPLICAS).arg(nowMs + ttlMs).arg(replica));
        publish.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(LATENCY_REPLICAS).arg("-inf").arg(nowMs));
        publish.add(Request.cmd(Command.ZRANGE).arg(LATENCY_REPLICAS).arg(0).arg(-1));
        return guard(redis.batch(publish)).compose(published -> {
            Response replicas = published.get(published.size() - 1);
            List<Request> reads = new ArrayList<>(replicas.size());
            for (Response r : replicas) {
                reads.add(Request.cmd(Command.HGETALL).arg(LATENCY + r.toString()));
            }
            return reads.isEmpty() ? Future.succeededFuture(List.<Response>of()) : guard(redis.batch(reads));
        }).map(all -> {
            Map<String, double[]> sums = new HashMap<>();
            for (Response fields : all) {
                for (int j = 0; j + 1 < fields.size(); j += 2) {
                    String[] v = fields.get(j + 1).toString().split(",");
                    double[] sum = sums.computeIfAbsent(fields.get(j).toString(), m -> new double[3]);
                    sum[0] += Double.parseDouble(v[0]);
                    sum[1] += Double.parseDouble(v[1]);
                    sum[2]++;
                }
            }
            Map<String, double[]> merged = new HashMap<>();
            sums.forEach((model, s) -> merged.put(model, new double[] {s[0] / s[2], s[1] / s[2]}));
            return merged;
        });
    }

    @Override
    public boolean available() {
        return available;
    }

    /** Closes the client once the commands on their way (a shutdown's last settles) are answered or timed out. */
    @Override
    public Future<Void> close() {
        return Future.join(new ArrayList<>(outstanding)).transform(ar -> redis.close());
    }

    private static void scopeKeys(List<String> keys, String team, Scope scope, Window w) {
        String prefix = prefix(team, scope.name());
        keys.add(prefix + "rpm:" + w.minute());
        keys.add(prefix + "tpm:" + w.minute());
        keys.add(prefix + "holds");
        keys.add(prefix + "amounts");
        keys.add(prefix + "reserved");
        for (Period period : Period.values()) {
            keys.add(prefix + "spent:" + w.period(period));
        }
    }

    private static String prefix(String team, String scope) {
        // The braces are Redis Cluster's hash tag: every key of a team maps to one slot.
        return "gearbox:{" + team + "}:" + scope + ":";
    }

    private static String settledKey(String team) {
        return "gearbox:{" + team + "}:settled";
    }

    private static String ledgerKey(String team, String day) {
        return "gearbox:{" + team + "}:usage:" + day;
    }

    private Future<Response> run(LuaScript script, List<String> keys, List<String> args) {
        Request evalsha = script.request(Command.EVALSHA, script.sha(), keys, args);
        return guard(redis.send(evalsha).recover(e -> {
            // A Redis that restarted (or was flushed) has forgotten the script: send it whole, once.
            if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                return redis.send(script.request(Command.EVAL, script.text(), keys, args));
            }
            return Future.failedFuture(e);
        }));
    }

    private Future<Response> send(Request request) {
        return guard(redis.send(request));
    }

    /** Marks the store unavailable on a connection failure or a command without an answer in time, available on any answer. */
    private <T> Future<T> guard(Future<T> future) {
        Future<T> guarded = future.transform(ar -> {
            if (ar.succeeded()) {
                available = true;
                return Future.succeededFuture(ar.result());
            }
            Throwable e = ar.cause();
            if (e instanceof io.vertx.redis.client.impl.types.ErrorType) {
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
}
