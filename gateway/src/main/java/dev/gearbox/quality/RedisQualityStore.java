package dev.gearbox.quality;

import dev.gearbox.state.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quality log replicas share. A request open to feedback is one string, {@code gearbox:{tenant}:quality:
 * request:<id>}, written with {@code SET ... PXAT} so Redis forgets it when its window closes; the tenant is in
 * the key, so another tenant's id finds nothing. A day's labels, tally and feedback scores are three hashes
 * tagged {@code {quality:<day>}} (one Cluster slot), kept and tallied in one script ({@code quality-label.lua}),
 * and expiring with the day's retention; the day's shadow spend is a field of its tally, held against the
 * budget by {@code shadow-reserve.lua}. Bounded by Redis's {@code maxmemory}, not here.
 */
public final class RedisQualityStore implements QualityStore {

    private static final LuaScript LABEL = LuaScript.load(RedisQualityStore.class, "quality-label.lua");
    private static final LuaScript RESERVE = LuaScript.load(RedisQualityStore.class, "shadow-reserve.lua");
    private static final String SEP = "\u001f";
    private static final int PAGE = 200;

    private final Redis redis;

    private RedisQualityStore(Redis redis) {
        this.redis = redis;
    }

    /** A log over the gateway's Redis client, which the state store closes. */
    public static RedisQualityStore over(Redis redis) {
        return new RedisQualityStore(redis);
    }

    @Override
    public Future<Void> remember(RequestRecord request, Instant until) {
        return redis.send(Request.cmd(Command.SET).arg(requestKey(request.tenant(), request.requestId()))
                .arg(request.toJson().encode()).arg("PXAT").arg(until.toEpochMilli())).mapEmpty();
    }

    @Override
    public Future<Optional<RequestRecord>> request(String tenant, String requestId) {
        return redis.send(Request.cmd(Command.GET).arg(requestKey(tenant, requestId)))
                .map(r -> r == null ? Optional.empty() : Optional.of(RequestRecord.fromJson(new JsonObject(r.toBuffer()))));
    }

    @Override
    public Future<Void> keep(QualityLabel label, LocalDate day, Instant until) {
        RequestRecord r = label.request();
        boolean verdict = label instanceof QualityLabel.Judged;
        String value = label instanceof QualityLabel.Judged j ? j.comparison().wireName()
                : Double.toString(((QualityLabel.Scored) label).score());
        return LABEL.run(redis, List.of(dayKey(day, "labels"), dayKey(day, "tally"), dayKey(day, "scores")),
                List.of(label.source() + ":" + r.requestId(), label.toJson().encode(), Long.toString(until.getEpochSecond()),
                        verdict ? "v" : "f", r.route() + SEP + r.tier(), value, r.requestId())).mapEmpty();
    }

    @Override
    public Future<Page> labels(LocalDate day, String cursor) {
        return redis.send(Request.cmd(Command.HSCAN).arg(dayKey(day, "labels")).arg(cursor == null ? "0" : cursor)
                .arg("COUNT").arg(PAGE)).map(r -> {
                    String next = r.get(0).toString();
                    Response entries = r.get(1);
                    List<QualityLabel> labels = new ArrayList<>(entries.size() / 2);
                    for (int i = 1; i < entries.size(); i += 2) {
                        labels.add(QualityLabel.fromJson(new JsonObject(entries.get(i).toBuffer())));
                    }
                    return new Page(labels, next.equals("0") ? null : next);
                });
    }

    @Override
    public Future<QualityTally> tally(List<LocalDate> days) {
        if (days.isEmpty()) {
            return Future.succeededFuture(new QualityTally());
        }
        List<Request> reads = new ArrayList<>(days.size());
        days.forEach(day -> reads.add(Request.cmd(Command.HGETALL).arg(dayKey(day, "tally"))));
        return redis.batch(reads).map(answers -> {
            QualityTally tally = new QualityTally();
            for (Response day : answers) {
                if (day == null) {
                    continue;
                }
                // RESP2: a flat list of fields and values.
                for (int j = 0; j + 1 < day.size(); j += 2) {
                    add(tally, day.get(j).toString(), day.get(j + 1).toString());
                }
            }
            return tally;
        });
    }

    private static void add(QualityTally tally, String field, String value) {
        String[] k = field.split(SEP, -1);
        if (k[0].equals("v") && k.length == 4) {
            tally.verdicts(k[1], k[2], Comparison.ofWire(k[3]), Long.parseLong(value));
        } else if (k[0].equals("f") && k.length == 4 && k[3].equals("count")) {
            tally.feedback(k[1], k[2], Long.parseLong(value), 0);
        } else if (k[0].equals("f") && k.length == 4 && k[3].equals("sum")) {
            tally.feedback(k[1], k[2], 0, Double.parseDouble(value));
        } else if (k[0].equals("s") && k.length == 2) {
            tally.shadowSpend(k[1], Double.parseDouble(value));
        }
    }

    @Override
    public Future<Double> spent(LocalDate day) {
        return redis.send(Request.cmd(Command.HGET).arg(dayKey(day, "tally")).arg("s"))
                .map(r -> r == null ? 0 : Double.parseDouble(r.toString()));
    }

    @Override
    public Future<Budget> reserve(LocalDate day, double usd, double budgetUsd, Instant until) {
        return RESERVE.run(redis, List.of(dayKey(day, "tally")), List.of(Double.toString(usd), Double.toString(budgetUsd),
                Long.toString(until.getEpochSecond())))
                .map(r -> new Budget(r.get(0).toInteger() == 1, Double.parseDouble(r.get(1).toString())));
    }

    @Override
    public Future<Void> spend(LocalDate day, String route, double heldUsd, double spentUsd, Instant until) {
        String tally = dayKey(day, "tally");
        return redis.batch(List.of(
                Request.cmd(Command.HINCRBYFLOAT).arg(tally).arg("s").arg(Double.toString(spentUsd - heldUsd)),
                Request.cmd(Command.HINCRBYFLOAT).arg(tally).arg("s" + SEP + route).arg(Double.toString(spentUsd)),
                Request.cmd(Command.EXPIREAT).arg(tally).arg(until.getEpochSecond()))).mapEmpty();
    }

    /** The Redis client is the state store's, which closes it. */
    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    static String requestKey(String tenant, String requestId) {
        // The braces are Redis Cluster's hash tag, as for the tenant's other keys.
        return "gearbox:{" + tenant + "}:quality:request:" + requestId;
    }

    static String dayKey(LocalDate day, String what) {
        return "gearbox:{quality:" + day + "}:" + what;
    }
}
