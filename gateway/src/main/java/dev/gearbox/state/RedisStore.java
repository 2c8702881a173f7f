package dev.gearbox.state;

import dev.gearbox.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store replicas share. Reserving and settling are each one Lua script, so one round trip, atomic
 * across replicas. Every key carries a hash tag ({@link RedisKeys}): a team's keys share a slot, so a script
 * touches one slot and runs on Redis Cluster too. Counters expire: rate windows after two minutes,
 * reservations after twice their TTL, day spend after three days, month spend after forty. An account write
 * is one script too ({@code account.lua}: its condition checked and the document written in one step), over
 * the three account keys, which share the {@code accounts} tag. Writes that count spend or hand out room wait
 * for the configured replicas ({@link RedisCalls#runDurable}); the leases replicas take come from
 * {@link #leases()}, over the same connections.
 */
public final class RedisStore implements Store {

    private static final LuaScript RESERVE = LuaScript.load("reserve.lua");
    private static final LuaScript SETTLE = LuaScript.load("settle.lua");
    private static final LuaScript ACCOUNT = LuaScript.load("account.lua");
    private static final int MAX_USAGE_DAYS = 400;

    private final RedisCalls calls;
    private final AccountsMigration migration;
    private final RedisLeases leases;
    private final long settledKeepMs;

    private RedisStore(RedisCalls calls, RedisConfig.Topology topology, long settledKeepMs) {
        this.calls = calls;
        this.migration = AccountsMigration.of(calls, topology);
        this.leases = new RedisLeases(calls, settledKeepMs);
        this.settledKeepMs = settledKeepMs;
    }

    /**
     * A store over {@code redis}, which it closes when it is closed.
     *
     * @param reservationTtlMs how long reservations hold; a settled request is remembered for twice that, so
     *                         a reserve or settle of it that reaches Redis late, after an outage, does nothing
     */
    public static RedisStore over(Redis redis, RedisConfig config, long reservationTtlMs, Clock clock) {
        return new RedisStore(RedisCalls.over(redis, clock, config.durableReplicas(), Math.max(1, config.timeoutMs() / 2)),
                config.topology(), 2 * reservationTtlMs);
    }

    /** Where replicas take their leases, over this store's connections. */
    public LeasePool leases() {
        return leases;
    }

    /** Writes that counted spend or handed out room no replica acknowledged in time. */
    public long unreplicatedWrites() {
        return calls.unreplicated();
    }

    @Override
    public Future<Verdict> reserve(Hold hold, long ttlMs) {
        Window w = hold.window();
        List<String> keys = new ArrayList<>(hold.scopes().size() * RedisKeys.PER_SCOPE + 1);
        List<String> args = new ArrayList<>(5 + hold.scopes().size() * 6);
        args.add(hold.id());
        args.add(Long.toString(w.nowMs()));
        args.add(Long.toString(hold.estimateNanos()));
        args.add(Long.toString(ttlMs));
        args.add(Long.toString(hold.tokens()));
        for (Scope scope : hold.scopes()) {
            RedisKeys.scope(keys, hold.team(), scope, w, w);
            Limits l = scope.limits();
            for (long limit : new long[] {l.rpm(), l.tpm(), l.maxConcurrent(), l.dailyNanos(), l.monthlyNanos(),
                    l.totalNanos()}) {
                args.add(Long.toString(limit));
            }
        }
        keys.add(RedisKeys.settled(hold.team()));
        return calls.runDurable(RESERVE, keys, args).map(r -> {
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
        List<String> keys = new ArrayList<>(hold.scopes().size() * RedisKeys.PER_SCOPE + 2);
        for (Scope scope : hold.scopes()) {
            RedisKeys.scope(keys, hold.team(), scope, w, w);
        }
        keys.add(RedisKeys.ledger(hold.team(), w.day()));
        keys.add(RedisKeys.settled(hold.team()));
        List<String> args = List.of(hold.id(), Long.toString(charge.costNanos()), Long.toString(charge.tokens()),
                (charge.key() == null ? "-" : charge.key()) + "|" + charge.model(), Long.toString(charge.baselineNanos()),
                Long.toString(charge.promptTokens()), Long.toString(charge.completionTokens()),
                charge == Charge.NOTHING ? "0" : "1", Long.toString(charge.tokens() - hold.tokens()), Long.toString(w.nowMs()),
                Long.toString(w.nowMs() + settledKeepMs), Long.toString(settledKeepMs));
        return calls.runDurable(SETTLE, keys, args).mapEmpty();
    }

    @Override
    public Future<Map<Period, Long>> spent(String team, String scope, Window window) {
        String prefix = RedisKeys.prefix(team, scope);
        Request mget = Request.cmd(Command.MGET);
        for (Period period : Period.values()) {
            mget.arg(prefix + "spent:" + window.period(period));
        }
        return calls.send(mget).map(r -> {
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
            batch.add(Request.cmd(Command.HGETALL).arg(RedisKeys.ledger(team, day)));
        }
        if (batch.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return calls.batch(batch).map(responses -> {
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
        String other = RedisKeys.accounts(kind);
        String name;
        String arg = "";
        if (condition instanceof AccountCondition.AbsentWhileExists depends) {
            name = "absent_while_exists";
            other = RedisKeys.accounts(depends.kind());
            arg = depends.id();
        } else if (condition instanceof AccountCondition.Unchanged unchanged) {
            name = "unchanged";
            arg = Long.toString(unchanged.version());
        } else {
            name = condition instanceof AccountCondition.Present ? "present" : "absent";
        }
        List<String> keys = List.of(RedisKeys.accounts(kind), RedisKeys.VERSION, other);
        List<String> args = List.of(id, json == null ? "" : json, name, arg);
        return migration.ensure().compose(v -> calls.runDurable(ACCOUNT, keys, args)).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Map<String, String>> accounts(String kind) {
        return migration.ensure().compose(v -> calls.send(Request.cmd(Command.HGETALL).arg(RedisKeys.accounts(kind))))
                .map(r -> {
            Map<String, String> out = new HashMap<>();
            for (int j = 0; j + 1 < r.size(); j += 2) {
                out.put(r.get(j).toString(), r.get(j + 1).toString());
            }
            return out;
        });
    }

    @Override
    public Future<Long> accountsVersion() {
        return migration.ensure().compose(v -> calls.send(Request.cmd(Command.GET).arg(RedisKeys.VERSION)))
                .map(r -> r == null ? 0L : r.toLong());
    }

    @Override
    public Future<Map<String, double[]>> shareLatency(String replica, Map<String, double[]> local, long nowMs, long ttlMs) {
        String mine = RedisKeys.latency(replica);
        List<Request> publish = new ArrayList<>();
        if (!local.isEmpty()) {
            Request hset = Request.cmd(Command.HSET).arg(mine);
            local.forEach((model, v) -> hset.arg(model).arg(v[0] + "," + v[1]));
            publish.add(hset);
            publish.add(Request.cmd(Command.PEXPIRE).arg(mine).arg(ttlMs));
        }
        publish.add(Request.cmd(Command.ZADD).arg(RedisKeys.LATENCY_REPLICAS).arg(nowMs + ttlMs).arg(replica));
        publish.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(RedisKeys.LATENCY_REPLICAS).arg("-inf").arg(nowMs));
        publish.add(Request.cmd(Command.ZRANGE).arg(RedisKeys.LATENCY_REPLICAS).arg(0).arg(-1));
        return calls.batch(publish).compose(published -> {
            Response replicas = published.get(published.size() - 1);
            List<Request> reads = new ArrayList<>(replicas.size());
            for (Response r : replicas) {
                reads.add(Request.cmd(Command.HGETALL).arg(RedisKeys.latency(r.toString())));
            }
            return reads.isEmpty() ? Future.succeededFuture(List.<Response>of()) : calls.batch(reads);
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
        return calls.available();
    }

    /** Closes the client once the commands on their way (a shutdown's last settles) are answered or timed out. */
    @Override
    public Future<Void> close() {
        return calls.close();
    }
}
