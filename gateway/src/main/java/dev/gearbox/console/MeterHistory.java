package dev.gearbox.console;

import dev.gearbox.telemetry.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last day of the gateway's own meters, a minute at a time, so the console can show the last minutes
 * and hours without a Prometheus. Each {@link #sample} reads the counters (requests by outcome, spend,
 * baseline spend, fallbacks) and adds what they grew by since the sample before to the current minute.
 *
 * <p>Requests are those that reached routing: the meters also count admin, health and console calls, under
 * the model {@code none}. A counter that shrinks (a tenant's series dropped by the cap on named tenants)
 * adds nothing. Thread-safe; sampling walks the registry, so call it off the event loop.
 */
public final class MeterHistory {

    static final int MINUTES = 24 * 60;
    /** The fewest minutes a window shows, for a chart to have a shape. */
    static final int MIN_MINUTES = 15;
    static final int REQUESTS = 0;
    static final int ERRORS = 1;
    static final int REFUSED = 2;
    static final int COST = 3;
    static final int BASELINE = 4;
    static final int FIELDS = 5;
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Minute[] minutes = new Minute[MINUTES];
    private final long startedMinute;
    private Map<Key, double[]> previous = Map.of();
    private Map<String, Double> previousFallbacks = Map.of();

    /** Where requests went: the tags the overview groups by. */
    public record Key(String route, String model, String tier) {
    }

    /** What a span of minutes holds: per minute, per route and model, and fallbacks per model. */
    public record Window(long fromMinute, long toMinute, Map<Long, double[]> perMinute, Map<Key, double[]> byKey,
                         Map<String, Double> fallbacks) {
    }

    private static final class Minute {
        final long epochMinute;
        final Map<Key, double[]> byKey = new HashMap<>();
        final Map<String, Double> fallbacks = new HashMap<>();

        Minute(long epochMinute) {
            this.epochMinute = epochMinute;
        }
    }

    private MeterHistory(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.startedMinute = clock.millis() / 60_000;
    }

    /** A history that starts from the meters as they are now. */
    public static MeterHistory of(MeterRegistry registry, Clock clock) {
        MeterHistory history = new MeterHistory(registry, clock);
        history.previous = history.read();
        history.previousFallbacks = history.readFallbacks();
        return history;
    }

    /** Adds what the counters grew by since the last sample to the current minute. */
    public synchronized void sample() {
        long now = clock.millis() / 60_000;
        Minute minute = minutes[(int) Math.floorMod(now, MINUTES)];
        if (minute == null || minute.epochMinute != now) {
            minute = new Minute(now);
            minutes[(int) Math.floorMod(now, MINUTES)] = minute;
        }
        Map<Key, double[]> current = read();
        for (Map.Entry<Key, double[]> e : current.entrySet()) {
            double[] before = previous.getOrDefault(e.getKey(), new double[FIELDS]);
            double[] into = minute.byKey.computeIfAbsent(e.getKey(), k -> new double[FIELDS]);
            for (int i = 0; i < FIELDS; i++) {
                into[i] += Math.max(0, e.getValue()[i] - before[i]);
            }
        }
        Map<String, Double> fallbacks = readFallbacks();
        Minute m = minute;
        fallbacks.forEach((model, count) -> {
            double grew = Math.max(0, count - previousFallbacks.getOrDefault(model, 0.0));
            if (grew > 0) {
                m.fallbacks.merge(model, grew, Double::sum);
            }
        });
        previous = current;
        previousFallbacks = fallbacks;
    }

    /**
     * The minutes of the last {@code span}, this one included, after sampling what happened since the last
     * sample; of a young gateway, its life and the quarter of an hour before it, so its chart is not a day of
     * nothing, nor a single point.
     */
    public synchronized Window window(Duration span) {
        sample();
        long to = clock.millis() / 60_000;
        long from = Math.max(startedMinute - (MIN_MINUTES - 1), to - Math.max(1, Math.min(MINUTES, span.toMinutes())) + 1);
        Map<Long, double[]> perMinute = new TreeMap<>();
        Map<Key, double[]> byKey = new TreeMap<>(java.util.Comparator.comparing(Key::route).thenComparing(Key::model).thenComparing(Key::tier));
        Map<String, Double> fallbacks = new TreeMap<>();
        for (long at = from; at <= to; at++) {
            double[] total = new double[FIELDS];
            perMinute.put(at, total);
            Minute minute = minutes[(int) Math.floorMod(at, MINUTES)];
            if (minute == null || minute.epochMinute != at) {
                continue;
            }
            minute.byKey.forEach((key, values) -> {
                double[] sum = byKey.computeIfAbsent(key, k -> new double[FIELDS]);
                for (int i = 0; i < FIELDS; i++) {
                    sum[i] += values[i];
                    total[i] += values[i];
                }
            });
            minute.fallbacks.forEach((model, n) -> fallbacks.merge(model, n, Double::sum));
        }
        return new Window(from, to, perMinute, byKey, fallbacks);
    }

    /** The counters as they are, summed over the tags the overview does not group by (tenant, provider). */
    private Map<Key, double[]> read() {
        Map<Key, double[]> out = new HashMap<>();
        for (Counter c : registry.find(MeterNames.REQUESTS).counters()) {
            Key key = key(c);
            if (key != null) {
                double[] values = out.computeIfAbsent(key, k -> new double[FIELDS]);
                values[REQUESTS] += c.count();
                String outcome = String.valueOf(c.getId().getTag(MeterNames.TAG_OUTCOME));
                if (refused(outcome)) {
                    values[REFUSED] += c.count();
                } else if (!outcome.equals("success") && !outcome.equals("cancelled")) {
                    values[ERRORS] += c.count();
                }
            }
        }
        add(out, MeterNames.COST, COST);
        add(out, MeterNames.BASELINE_COST, BASELINE);
        return out;
    }

    private void add(Map<Key, double[]> out, String meter, int field) {
        for (Counter c : registry.find(meter).counters()) {
            Key key = key(c);
            if (key != null) {
                out.computeIfAbsent(key, k -> new double[FIELDS])[field] += c.count();
            }
        }
    }

    private Map<String, Double> readFallbacks() {
        Map<String, Double> out = new HashMap<>();
        for (Counter c : registry.find(MeterNames.FALLBACKS).counters()) {
            out.merge(String.valueOf(c.getId().getTag(MeterNames.TAG_MODEL)), c.count(), Double::sum);
        }
        return out;
    }

    private static Key key(Counter c) {
        String model = c.getId().getTag(MeterNames.TAG_MODEL);
        if (model == null || model.equals(NONE)) {
            return null;
        }
        String route = c.getId().getTag(MeterNames.TAG_ROUTE);
        String tier = c.getId().getTag(MeterNames.TAG_TIER);
        return new Key(route == null ? NONE : route, model, tier == null ? NONE : tier);
    }

    /** Refused by the gateway or the caller's limits rather than failed: the client's request, not a fault. */
    static boolean refused(String outcome) {
        return outcome.equals("client_error") || outcome.equals("rate_limited") || outcome.startsWith("limit_");
    }
}
