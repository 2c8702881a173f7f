package dev.gearbox.quality;

import dev.gearbox.state.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The quality log of one node: in this process, and in a file when one is given, written (whole, atomically,
 * by a worker) at most every five seconds after a change and on close, so a restart keeps verdicts, feedback,
 * the day's shadow spend and the requests still open to feedback. Bounded: requests kept for feedback take at
 * most {@link #MAX_PENDING_BYTES} and labels {@link #MAX_LABEL_BYTES}, the oldest first out (a day's tally
 * stays whole when its labels go). Thread-safe: every operation takes the store's lock for a few map updates
 * and never does I/O under it.
 */
public final class InProcessQualityStore implements QualityStore {

    static final long MAX_PENDING_BYTES = 16L << 20;
    static final long MAX_LABEL_BYTES = 64L << 20;
    private static final long PERSIST_INTERVAL_MS = 5000;
    private static final String SEP = "\u001f";
    private static final int FORMAT = 1;

    private final Clock clock;
    private final Vertx vertx;
    private final Path file;
    private final long maxPendingBytes;
    private final long maxLabelBytes;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final TreeMap<LocalDate, LogDay> days = new TreeMap<>();
    private long pendingBytes;
    private long labelBytes;
    private boolean dirty;
    private long timer = -1;
    /** Snapshots taken, and the newest one written: a slow write of an older one must not replace a newer. */
    private long snapshots;
    private long written;
    private final Object writing = new Object();

    private InProcessQualityStore(Clock clock, Vertx vertx, Path file, long maxPendingBytes, long maxLabelBytes) {
        this.clock = clock;
        this.vertx = vertx;
        this.file = file;
        this.maxPendingBytes = maxPendingBytes;
        this.maxLabelBytes = maxLabelBytes;
    }

    /** A log in memory only. */
    public static InProcessQualityStore inMemory(Clock clock) {
        return new InProcessQualityStore(clock, null, null, MAX_PENDING_BYTES, MAX_LABEL_BYTES);
    }

    /** A log in memory with smaller bounds, to see what goes first. */
    static InProcessQualityStore bounded(Clock clock, long maxPendingBytes, long maxLabelBytes) {
        return new InProcessQualityStore(clock, null, null, maxPendingBytes, maxLabelBytes);
    }

    /**
     * A log kept in {@code file}, read now (at start-up, on the caller's thread) and written by a worker.
     *
     * @throws IllegalArgumentException when the file exists and is not one this store wrote
     */
    public static InProcessQualityStore persistent(Clock clock, Vertx vertx, Path file) {
        InProcessQualityStore store = new InProcessQualityStore(clock, vertx, file, MAX_PENDING_BYTES, MAX_LABEL_BYTES);
        store.load();
        store.timer = vertx.setPeriodic(PERSIST_INTERVAL_MS, id -> store.persistIfDirty());
        return store;
    }

    @Override
    public synchronized Future<Void> remember(RequestRecord request, Instant until) {
        String key = key(request.tenant(), request.requestId());
        Pending old = pending.remove(key);
        if (old != null) {
            pendingBytes -= old.bytes;
        }
        Pending p = new Pending(request, until, bytes(request));
        pending.put(key, p);
        pendingBytes += p.bytes;
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext() && pendingBytes > maxPendingBytes; ) {
            pendingBytes -= it.next().bytes;
            it.remove();
        }
        dirty = true;
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Optional<RequestRecord>> request(String tenant, String requestId) {
        Pending p = pending.get(key(tenant, requestId));
        return Future.succeededFuture(p == null || !p.until.isAfter(clock.instant()) ? Optional.empty() : Optional.of(p.record));
    }

    @Override
    public synchronized Future<Void> keep(QualityLabel label, LocalDate day, Instant until) {
        LogDay d = day(day, until);
        String field = label.source() + ":" + label.request().requestId();
        LogDay.Kept old = d.labels.put(field, new LogDay.Kept(label, bytes(label.request()) + 256));
        labelBytes += d.labels.get(field).bytes() - (old == null ? 0 : old.bytes());
        RequestRecord r = label.request();
        if (label instanceof QualityLabel.Judged judged && old == null) {
            d.verdicts.merge(r.route() + SEP + r.tier() + SEP + judged.comparison().wireName(), 1L, Long::sum);
        } else if (label instanceof QualityLabel.Scored scored) {
            Double previous = d.scores.put(r.requestId(), scored.score());
            double[] f = d.feedback.computeIfAbsent(r.route() + SEP + r.tier(), k -> new double[2]);
            f[0] += previous == null ? 1 : 0;
            f[1] += scored.score() - (previous == null ? 0 : previous);
        }
        evictLabels();
        dirty = true;
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Page> labels(LocalDate day, String cursor) {
        expire();
        LogDay d = days.get(day);
        List<QualityLabel> out = new ArrayList<>();
        if (d != null) {
            d.labels.values().forEach(k -> out.add(k.label()));
        }
        return Future.succeededFuture(new Page(out, null));
    }

    @Override
    public synchronized Future<QualityTally> tally(List<LocalDate> wanted) {
        expire();
        QualityTally tally = new QualityTally();
        for (LocalDate day : wanted) {
            LogDay d = days.get(day);
            if (d == null) {
                continue;
            }
            d.verdicts.forEach((key, n) -> {
                String[] k = key.split(SEP, -1);
                tally.verdicts(k[0], k[1], Comparison.ofWire(k[2]), n);
            });
            d.feedback.forEach((key, f) -> {
                String[] k = key.split(SEP, -1);
                tally.feedback(k[0], k[1], (long) f[0], f[1]);
            });
            d.spend.forEach(tally::shadowSpend);
        }
        return Future.succeededFuture(tally);
    }

    @Override
    public synchronized Future<Double> spent(LocalDate day) {
        expire();
        LogDay d = days.get(day);
        return Future.succeededFuture(d == null ? 0 : d.spent);
    }

    @Override
    public synchronized Future<Budget> reserve(LocalDate day, double usd, double budgetUsd, Instant until) {
        LogDay d = day(day, until);
        if (d.spent + usd > budgetUsd) {
            return Future.succeededFuture(new Budget(false, d.spent));
        }
        d.spent += usd;
        dirty = true;
        return Future.succeededFuture(new Budget(true, d.spent));
    }

    @Override
    public synchronized Future<Void> spend(LocalDate day, String route, double heldUsd, double spentUsd, Instant until) {
        LogDay d = day(day, until);
        d.spent += spentUsd - heldUsd;
        d.spend.merge(route, spentUsd, Double::sum);
        dirty = true;
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (file != null) {
            Snapshot last = snapshot();
            write(last.number(), last.json().encode());
        }
        return Future.succeededFuture();
    }

    private LogDay day(LocalDate day, Instant until) {
        expire();
        LogDay d = days.computeIfAbsent(day, k -> new LogDay());
        if (d.until == null || until.isAfter(d.until)) {
            d.until = until;
        }
        return d;
    }

    /** Drops the days past their retention and the requests past their feedback window. */
    private void expire() {
        Instant now = clock.instant();
        for (Iterator<LogDay> it = days.values().iterator(); it.hasNext(); ) {
            LogDay d = it.next();
            if (d.until != null && !d.until.isAfter(now)) {
                d.labels.values().forEach(k -> labelBytes -= k.bytes());
                it.remove();
                dirty = true;
            }
        }
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!p.until.isAfter(now)) {
                pendingBytes -= p.bytes;
                it.remove();
                dirty = true;
            }
        }
    }

    private void evictLabels() {
        for (LogDay d : days.values()) {
            for (Iterator<LogDay.Kept> it = d.labels.values().iterator(); it.hasNext() && labelBytes > maxLabelBytes; ) {
                labelBytes -= it.next().bytes();
                it.remove();
            }
            if (labelBytes <= maxLabelBytes) {
                return;
            }
        }
    }

    private static int bytes(RequestRecord r) {
        return 200 + r.features().length() + (r.text() == null ? 0 : r.text().messages().encode().length() + r.text().answer().length());
    }

    private static String key(String tenant, String requestId) {
        return tenant + SEP + requestId;
    }

    private void persistIfDirty() {
        Snapshot snapshot;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            dirty = false;
            snapshot = snapshot();
        }
        // Only references are copied under the lock; the JSON of a large log is built by the worker.
        vertx.executeBlocking(() -> {
            write(snapshot.number(), snapshot.json().encode());
            return null;
        }, true);
    }

    /** What the file holds, copied by reference: labels and records are immutable. */
    private synchronized Snapshot snapshot() {
        expire();
        Map<LocalDate, LogDay> copy = new TreeMap<>();
        days.forEach((day, d) -> copy.put(day, d.copy()));
        return new Snapshot(++snapshots, new ArrayList<>(pending.values()), copy);
    }

    private record Snapshot(long number, List<Pending> pending, Map<LocalDate, LogDay> days) {
        JsonObject json() {
            JsonArray open = new JsonArray();
            pending.forEach(p -> open.add(new JsonObject().put("until", p.until.toString()).put("request", p.record.toJson())));
            JsonObject byDay = new JsonObject();
            days.forEach((day, d) -> byDay.put(day.toString(), d.toJson()));
            return new JsonObject().put("format", FORMAT).put("pending", open).put("days", byDay);
        }
    }

    private void write(long number, String text) {
        synchronized (writing) {
            if (number < written) {
                return;
            }
            written = number;
            write(text);
        }
    }

    private void write(String text) {
        AtomicFile.write(file, text, "quality.file");
    }

    private synchronized void load() {
        if (!Files.exists(file)) {
            return;
        }
        JsonObject root;
        try {
            root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            if (root.getInteger("format", 0) != FORMAT) {
                throw new IllegalArgumentException("format " + root.getValue("format") + " (expected: " + FORMAT + ")");
            }
            for (Object o : root.getJsonArray("pending", new JsonArray())) {
                JsonObject p = (JsonObject) o;
                remember(RequestRecord.fromJson(p.getJsonObject("request")), Instant.parse(p.getString("until")));
            }
            for (Map.Entry<String, Object> e : root.getJsonObject("days", new JsonObject())) {
                LogDay d = LogDay.fromJson((JsonObject) e.getValue(), r -> bytes(r) + 256);
                d.labels.values().forEach(k -> labelBytes += k.bytes());
                days.put(LocalDate.parse(e.getKey()), d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("quality.file: cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("quality.file: " + file + " is not a Gearbox quality log (" + e.getMessage() + ")", e);
        }
        expire();
        dirty = false;
    }

    /** A request open to feedback until {@code until}, and what it takes of the bound. */
    private record Pending(RequestRecord record, Instant until, int bytes) {
    }
}
