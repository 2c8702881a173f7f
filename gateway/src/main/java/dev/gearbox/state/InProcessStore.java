package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The single-node store: everything in this process, spend, the ledger and accounts written to a file
 * (when one is given) a second after they change and on close, so a restart keeps the day's spend.
 * Rate-limit counters and reservations are not written: they mean nothing to a process that was not
 * running. Every operation takes the store's lock for a few map updates and never does I/O under it.
 */
public final class InProcessStore implements Store {

    private static final long PERSIST_INTERVAL_MS = 1000;

    private final Path file;
    private final Vertx vertx;
    private final Map<String, Map<String, ScopeState>> teams = new HashMap<>();
    private final Map<String, Map<String, long[]>> ledger = new HashMap<>();
    private final Map<String, Map<String, String>> accounts = new HashMap<>();
    private long version;
    private boolean dirty;
    private long timer = -1;

    private InProcessStore(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
    }

    /** A store in memory only. */
    public static InProcessStore inMemory() {
        return new InProcessStore(null, null);
    }

    /**
     * A store kept in {@code file}, read now (on the caller's thread, at start-up) and written by a worker.
     *
     * @throws UncheckedIOException when the file exists but cannot be read
     * @throws IllegalArgumentException when the file is not one this store wrote
     */
    public static InProcessStore persistent(Vertx vertx, Path file) {
        InProcessStore store = new InProcessStore(vertx, file);
        store.load();
        store.timer = vertx.setPeriodic(PERSIST_INTERVAL_MS, id -> store.persistIfDirty());
        return store;
    }

    @Override
    public synchronized Future<Verdict> reserve(Hold hold, long ttlMs) {
        Window w = hold.window();
        Map<String, ScopeState> scopes = teams.computeIfAbsent(hold.team(), t -> new HashMap<>());
        List<ScopeState> states = new ArrayList<>(hold.scopes().size());
        for (Scope scope : hold.scopes()) {
            ScopeState s = scopes.computeIfAbsent(scope.name(), n -> new ScopeState());
            s.expire(w);
            Limits l = scope.limits();
            if (l.rpm() >= 0 && s.requests >= l.rpm()) {
                return Future.succeededFuture(new Verdict.Refused(Verdict.Limit.RPM, scope.name(), l.rpm(), s.requests,
                        0, 1, (w.minute() + 1) * 60_000));
            }
            if (l.tpm() >= 0 && s.tokens + hold.tokens() > l.tpm()) {
                return Future.succeededFuture(new Verdict.Refused(Verdict.Limit.TPM, scope.name(), l.tpm(), s.tokens,
                        0, hold.tokens(), (w.minute() + 1) * 60_000));
            }
            if (l.maxConcurrent() >= 0 && s.holds.size() >= l.maxConcurrent()) {
                return Future.succeededFuture(new Verdict.Refused(Verdict.Limit.CONCURRENCY, scope.name(),
                        l.maxConcurrent(), s.holds.size(), 0, 1, -1));
            }
            for (Period period : Period.values()) {
                long budget = l.budget(period);
                long spent = s.spent.getOrDefault(w.period(period), 0L);
                if (budget >= 0 && spent + s.reserved + hold.estimateNanos() > budget) {
                    return Future.succeededFuture(new Verdict.Refused(Verdict.Limit.ofBudget(period), scope.name(),
                            budget, spent, s.reserved, hold.estimateNanos(), w.resetMs(period)));
                }
            }
            states.add(s);
        }
        for (ScopeState s : states) {
            s.requests++;
            s.tokens += hold.tokens();
            s.holds.put(hold.id(), new long[] {hold.estimateNanos(), w.nowMs() + ttlMs});
            s.reserved += hold.estimateNanos();
        }
        return Future.succeededFuture(Verdict.ADMITTED);
    }

    @Override
    public synchronized Future<Void> settle(Hold hold, Charge charge) {
        Window w = hold.window();
        Map<String, ScopeState> scopes = teams.computeIfAbsent(hold.team(), t -> new HashMap<>());
        for (Scope scope : hold.scopes()) {
            ScopeState s = scopes.computeIfAbsent(scope.name(), n -> new ScopeState());
            long[] held = s.holds.remove(hold.id());
            if (held != null) {
                s.reserved -= held[0];
            }
            if (charge.costNanos() > 0) {
                for (Period period : Period.values()) {
                    s.spent.merge(w.period(period), charge.costNanos(), Long::sum);
                }
                dirty = true;
            }
            if (s.minute == w.minute()) {
                // What the request held in its minute gives way to what it used.
                s.tokens += charge.tokens() - hold.tokens();
            }
        }
        if (charge != Charge.NOTHING) {
            long[] row = ledger.computeIfAbsent(hold.team(), t -> new HashMap<>())
                    .computeIfAbsent(rowKey(w.day(), charge.key(), charge.model()), k -> new long[5]);
            row[0]++;
            row[1] += charge.costNanos();
            row[2] += charge.baselineNanos();
            row[3] += charge.promptTokens();
            row[4] += charge.completionTokens();
            dirty = true;
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Map<Period, Long>> spent(String team, String scope, Window window) {
        ScopeState s = teams.getOrDefault(team, Map.of()).get(scope);
        Map<Period, Long> out = new EnumMap<>(Period.class);
        for (Period period : Period.values()) {
            out.put(period, s == null ? 0L : s.spent.getOrDefault(window.period(period), 0L));
        }
        return Future.succeededFuture(out);
    }

    @Override
    public synchronized Future<List<UsageRow>> usage(String team, String from, String to) {
        List<UsageRow> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : new TreeMap<>(ledger.getOrDefault(team, Map.of())).entrySet()) {
            String[] parts = e.getKey().split("\\|", 3);
            if (parts[0].compareTo(from) >= 0 && parts[0].compareTo(to) <= 0) {
                long[] v = e.getValue();
                rows.add(new UsageRow(parts[0], parts[1], parts[2], v[0], v[1], v[2], v[3], v[4]));
            }
        }
        return Future.succeededFuture(rows);
    }

    @Override
    public synchronized Future<Boolean> putAccount(String kind, String id, String json, AccountCondition condition) {
        Map<String, String> docs = accounts.computeIfAbsent(kind, k -> new HashMap<>());
        if (!holds(condition, docs.containsKey(id))) {
            return Future.succeededFuture(false);
        }
        if (json == null) {
            docs.remove(id);
        } else {
            docs.put(id, json);
        }
        version++;
        dirty = true;
        return Future.succeededFuture(true);
    }

    private boolean holds(AccountCondition condition, boolean exists) {
        if (condition instanceof AccountCondition.AbsentWhileExists other) {
            return !exists && accounts.getOrDefault(other.kind(), Map.of()).containsKey(other.id());
        }
        if (condition instanceof AccountCondition.Unchanged unchanged) {
            return version == unchanged.version();
        }
        return condition instanceof AccountCondition.Present == exists;
    }

    @Override
    public synchronized Future<Map<String, String>> accounts(String kind) {
        return Future.succeededFuture(Map.copyOf(accounts.getOrDefault(kind, Map.of())));
    }

    @Override
    public synchronized Future<Long> accountsVersion() {
        return Future.succeededFuture(version);
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Future<Void> close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (file != null) {
            write(snapshot());
        }
        return Future.succeededFuture();
    }

    static String rowKey(String day, String key, String model) {
        return day + "|" + (key == null ? "-" : key) + "|" + model;
    }

    private void persistIfDirty() {
        String text;
        synchronized (this) {
            if (!dirty) {
                return;
            }
            dirty = false;
            text = snapshot();
        }
        vertx.executeBlocking(() -> {
            write(text);
            return null;
        }, true);
    }

    private synchronized String snapshot() {
        JsonObject spent = new JsonObject();
        teams.forEach((team, scopes) -> {
            JsonObject t = new JsonObject();
            scopes.forEach((scope, s) -> t.put(scope, new JsonObject(new HashMap<>(s.spent))));
            spent.put(team, t);
        });
        JsonObject usage = new JsonObject();
        ledger.forEach((team, rows) -> {
            JsonObject t = new JsonObject();
            rows.forEach((key, v) -> t.put(key, new JsonArray().add(v[0]).add(v[1]).add(v[2]).add(v[3]).add(v[4])));
            usage.put(team, t);
        });
        JsonObject docs = new JsonObject();
        accounts.forEach((kind, byId) -> docs.put(kind, new JsonObject(new HashMap<>(byId))));
        return new JsonObject().put("format", 1).put("spent", spent).put("usage", usage).put("accounts", docs)
                .put("version", version).encode();
    }

    private void write(String text) {
        AtomicFile.write(file, text, "state.file");
    }

    private synchronized void load() {
        if (!Files.exists(file)) {
            return;
        }
        JsonObject root;
        try {
            root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("state.file: cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("state.file: " + file + " is not a Gearbox state file (" + e.getMessage() + ")");
        }
        if (root.getInteger("format", 0) != 1) {
            throw new IllegalArgumentException("state.file: " + file + " has format " + root.getValue("format")
                    + " (expected: 1)");
        }
        root.getJsonObject("spent", new JsonObject()).forEach(team -> ((JsonObject) team.getValue()).forEach(scope -> {
            ScopeState s = teams.computeIfAbsent(team.getKey(), t -> new HashMap<>())
                    .computeIfAbsent(scope.getKey(), n -> new ScopeState());
            ((JsonObject) scope.getValue()).forEach(p -> s.spent.put(p.getKey(), ((Number) p.getValue()).longValue()));
        }));
        root.getJsonObject("usage", new JsonObject()).forEach(team -> ((JsonObject) team.getValue()).forEach(row -> {
            JsonArray a = (JsonArray) row.getValue();
            long[] v = new long[5];
            for (int i = 0; i < 5; i++) {
                v[i] = a.getLong(i);
            }
            ledger.computeIfAbsent(team.getKey(), t -> new HashMap<>()).put(row.getKey(), v);
        }));
        root.getJsonObject("accounts", new JsonObject()).forEach(kind -> ((JsonObject) kind.getValue()).forEach(doc ->
                accounts.computeIfAbsent(kind.getKey(), k -> new HashMap<>()).put(doc.getKey(), (String) doc.getValue())));
        version = root.getLong("version", 0L);
    }

    /** One scope's counters, reservations and spend. */
    private static final class ScopeState {
        long minute = -1;
        long requests;
        long tokens;
        long reserved;
        /** Reservation id to {amount, expiry}. */
        final Map<String, long[]> holds = new HashMap<>();
        /** Period key ({@code d:2026-12-01}, {@code m:2026-12}, {@code t}) to nano-dollars spent. */
        final Map<String, Long> spent = new HashMap<>();

        void expire(Window w) {
            if (minute != w.minute()) {
                minute = w.minute();
                requests = 0;
                tokens = 0;
            }
            for (Iterator<long[]> it = holds.values().iterator(); it.hasNext(); ) {
                long[] held = it.next();
                if (held[1] <= w.nowMs()) {
                    reserved -= held[0];
                    it.remove();
                }
            }
        }
    }
}
