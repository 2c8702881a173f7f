package dev.gearbox.telemetry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Which tenants meters name: at most {@code max} of them, the most active first, and every other as
 * {@code other}, so a gateway with thousands of teams still exports a bounded number of series. Teams made
 * through the admin API are named as config-file ones are: a tenant is a tenant wherever it was made.
 *
 * <p>A tenant is named as soon as it is seen while there is room. Once the names are full, the ranking is
 * redone every {@link #RANK_INTERVAL_MS}: the {@code max} tenants with the most requests (each interval
 * halving what came before, so a burst fades and a steady tenant keeps its place; a tie keeps the tenant
 * already named) are named until the next ranking, and those that lost their name are told to
 * {@link #onDemoted} listeners, which drop their series. {@code anonymous} (no key) is always named and
 * takes no place. Thread-safe; time comes from the injected clock.
 */
public final class TenantTags {

    static final String OTHER = "other";
    static final String ANONYMOUS = "anonymous";
    static final long RANK_INTERVAL_MS = 60_000;

    private final int max;
    private final Clock clock;
    private final Map<String, LongAdder> activity = new ConcurrentHashMap<>();
    private final AtomicLong nextRankMs;
    private final List<Consumer<Set<String>>> demotedListeners = new CopyOnWriteArrayList<>();
    private volatile Set<String> named = Set.of();

    private TenantTags(int max, Clock clock) {
        this.max = max;
        this.clock = clock;
        this.nextRankMs = new AtomicLong(clock.millis() + RANK_INTERVAL_MS);
    }

    /** @param max how many tenants may be named at once; 0 names none */
    public static TenantTags of(int max, Clock clock) {
        if (max < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 0)");
        }
        return new TenantTags(max, clock);
    }

    /** Counts a request of {@code tenant} and answers its tag. */
    public String record(String tenant) {
        if (ANONYMOUS.equals(tenant)) {
            return tenant;
        }
        activity.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        long now = clock.millis();
        long due = nextRankMs.get();
        if (now >= due && nextRankMs.compareAndSet(due, now + RANK_INTERVAL_MS)) {
            rank();
        }
        return tag(tenant);
    }

    /** The tag of {@code tenant}, without counting a request: its name if it has one or there is room for it. */
    public String tag(String tenant) {
        if (ANONYMOUS.equals(tenant)) {
            return tenant;
        }
        Set<String> current = named;
        if (current.contains(tenant)) {
            return tenant;
        }
        return current.size() < max && name(tenant) ? tenant : OTHER;
    }

    /** {@code listener} hears the tenants that lost their name at a ranking. */
    public void onDemoted(Consumer<Set<String>> listener) {
        demotedListeners.add(listener);
    }

    private synchronized boolean name(String tenant) {
        if (named.contains(tenant)) {
            return true;
        }
        if (named.size() >= max) {
            return false;
        }
        Set<String> next = new HashSet<>(named);
        next.add(tenant);
        named = Set.copyOf(next);
        return true;
    }

    private void rank() {
        Set<String> demoted;
        synchronized (this) {
            Set<String> before = named;
            List<Map.Entry<String, Long>> counts = new ArrayList<>();
            activity.forEach((tenant, count) -> counts.add(Map.entry(tenant, count.sum())));
            counts.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                    .thenComparing(e -> before.contains(e.getKey()) ? 0 : 1)
                    .thenComparing(Map.Entry::getKey));
            Set<String> next = new HashSet<>();
            for (Map.Entry<String, Long> e : counts) {
                if (next.size() == max) {
                    break;
                }
                next.add(e.getKey());
            }
            // A named tenant with no request since the last rankings keeps its place while there is room.
            for (String tenant : before) {
                if (next.size() < max) {
                    next.add(tenant);
                }
            }
            named = Set.copyOf(next);
            demoted = new HashSet<>(before);
            demoted.removeAll(next);
            // What came before counts half: a burst fades, a steady tenant keeps its place.
            activity.forEach((tenant, count) -> {
                long half = count.sumThenReset() / 2;
                if (half > 0) {
                    count.add(half);
                }
            });
            activity.values().removeIf(count -> count.sum() == 0);
        }
        if (!demoted.isEmpty()) {
            demotedListeners.forEach(l -> l.accept(Set.copyOf(demoted)));
        }
    }
}
