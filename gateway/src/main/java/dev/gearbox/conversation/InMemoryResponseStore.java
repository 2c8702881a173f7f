package dev.gearbox.conversation;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The response store of a single gateway process: bounded in bytes and by a time to live from the injected
 * clock, the oldest responses going first either way. Oldest first rather than a cache's frequency-based
 * admission, because the response a client is most likely to continue is the one it just got. Responses are
 * keyed by tenant and id together, so one tenant's id never finds another's response. Shared by the event
 * loops; each operation holds the lock for a few map operations.
 */
public final class InMemoryResponseStore implements ResponseStore {

    private record Key(String tenant, String id) {
    }

    private record Entry(StoredResponse response, long expiresAtMillis, long sizeBytes) {
    }

    private final Clock clock;
    private final long maxBytes;
    private final long ttlMillis;
    /** In the order responses were stored, which is also the order they expire in. */
    private final LinkedHashMap<Key, Entry> responses = new LinkedHashMap<>();
    private long bytes;

    private InMemoryResponseStore(Clock clock, long maxBytes, long ttlMillis) {
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
    }

    /**
     * @param maxBytes the most bytes of responses kept
     * @param ttl how long a response is kept after it was stored
     */
    public static InMemoryResponseStore of(Clock clock, long maxBytes, Duration ttl) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1024)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        return new InMemoryResponseStore(clock, maxBytes, ttl.toMillis());
    }

    @Override
    public synchronized Future<Void> put(String tenant, StoredResponse response) {
        Key key = new Key(tenant, response.id());
        long size = tenant.length() + (long) response.sizeBytes();
        remove(key);
        if (size <= maxBytes) {
            responses.put(key, new Entry(response, clock.millis() + ttlMillis, size));
            bytes += size;
        }
        long now = clock.millis();
        Iterator<Map.Entry<Key, Entry>> oldest = responses.entrySet().iterator();
        while (oldest.hasNext()) {
            Entry entry = oldest.next().getValue();
            if (bytes <= maxBytes && entry.expiresAtMillis() > now) {
                break;
            }
            oldest.remove();
            bytes -= entry.sizeBytes();
        }
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<Optional<StoredResponse>> get(String tenant, String id) {
        Key key = new Key(tenant, id);
        Entry entry = responses.get(key);
        if (entry != null && entry.expiresAtMillis() <= clock.millis()) {
            remove(key);
            entry = null;
        }
        return Future.succeededFuture(Optional.ofNullable(entry == null ? null : entry.response()));
    }

    @Override
    public synchronized Future<Boolean> delete(String tenant, String id) {
        Key key = new Key(tenant, id);
        Entry entry = responses.get(key);
        boolean live = entry != null && entry.expiresAtMillis() > clock.millis();
        remove(key);
        return Future.succeededFuture(live);
    }

    private void remove(Key key) {
        Entry old = responses.remove(key);
        if (old != null) {
            bytes -= old.sizeBytes();
        }
    }
}
