package dev.gearbox.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gearbox.config.CacheConfig;
import dev.gearbox.wire.CompletionAssembler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An exact-match cache of chat completions on Caffeine: asynchronous, bounded by bytes, with a time to live.
 *
 * <p>An entry is a future, so a request that finds an identical one in flight waits for it instead of
 * calling upstream again. An answer is kept only when it completed whole; a future completed with null
 * (an error, a cut stream) removes its entry. Shared by every event loop; thread-safe.
 */
public final class ResponseCache {

    /** What a request gets from the cache. */
    public sealed interface Claim permits Hit, Pending, Lead, Miss {
    }

    /** A stored answer. */
    public record Hit(CachedAnswer answer) implements Claim {
    }

    /** An identical request is in flight: wait for its answer, which may turn out to be none. */
    public record Pending(CompletableFuture<CachedAnswer> answer) implements Claim {
    }

    /** No answer yet: call upstream and complete the slot with the answer, or null. */
    public record Lead(CompletableFuture<CachedAnswer> slot) implements Claim {
    }

    /** Call upstream; nothing will be stored. */
    public record Miss() implements Claim {
    }

    private final CacheConfig config;
    private final AsyncCache<String, CachedAnswer> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public ResponseCache(CacheConfig config, Clock clock) {
        this.config = config;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                .weigher((String key, CachedAnswer answer) -> answer.weight() + key.length())
                .expireAfterWrite(Duration.ofSeconds(config.ttlSeconds()))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Maintenance is cheap and amortised; running it on the caller keeps everything on the event loop.
                .executor(Runnable::run)
                .buildAsync();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Looks a request up.
     *
     * @param lookup false for {@code Cache-Control: no-cache}: do not answer from the cache
     * @param store false for {@code Cache-Control: no-store}: do not keep the answer
     */
    public Claim claim(CacheKey key, boolean lookup, boolean store) {
        String id = id(key);
        if (lookup) {
            CompletableFuture<CachedAnswer> existing;
            CompletableFuture<CachedAnswer> mine = null;
            if (store) {
                mine = new CompletableFuture<>();
                existing = cache.asMap().putIfAbsent(id, mine);
            } else {
                existing = cache.getIfPresent(id);
            }
            if (existing != null) {
                CachedAnswer answer = existing.isDone() && !existing.isCompletedExceptionally() ? existing.getNow(null) : null;
                if (answer != null) {
                    hits.increment();
                    return new Hit(answer);
                }
                return new Pending(existing);
            }
            misses.increment();
            return mine != null ? new Lead(mine) : new Miss();
        }
        misses.increment();
        if (store) {
            CompletableFuture<CachedAnswer> slot = new CompletableFuture<>();
            cache.put(id, slot);
            return new Lead(slot);
        }
        return new Miss();
    }

    /** Counts a request that waited for an identical one and got its answer. */
    public void countSharedHit() {
        hits.increment();
    }

    /**
     * A sink that keeps an answer in a slot once it has completed whole.
     *
     * @param choicesExpected the choices of a whole chat completion; 0 for an answer without choices (embeddings)
     */
    public AnswerSink recorder(CompletableFuture<CachedAnswer> slot, int choicesExpected) {
        return new Recorder(slot, choicesExpected);
    }

    /** Entries, bytes and hit ratio, for {@code GET /admin/cache}. */
    public JsonObject stats() {
        long h = hits.sum();
        long m = misses.sum();
        long bytes = cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new JsonObject().put("enabled", config.enabled()).put("entries", cache.synchronous().estimatedSize())
                .put("bytes", bytes).put("max_bytes", config.maxBytes()).put("ttl_seconds", config.ttlSeconds())
                .put("hits", h).put("misses", m).put("hit_ratio", h + m == 0 ? 0.0 : (double) h / (h + m));
    }

    /** Removes every entry, or those of one model; returns how many went. */
    public long invalidate(String model) {
        long before = cache.synchronous().estimatedSize();
        if (model == null) {
            cache.synchronous().invalidateAll();
        } else {
            cache.asMap().keySet().removeIf(id -> id.startsWith(model + "\u0000"));
        }
        cache.synchronous().cleanUp();
        return before - cache.synchronous().estimatedSize();
    }

    /** Runs pending maintenance, such as evictions; for tests and the admin endpoint. */
    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    private static String id(CacheKey key) {
        return key.model() + "\u0000" + key.hash();
    }

    /** Keeps an answer if it completed whole with every choice finished. */
    private static final class Recorder implements AnswerSink {
        private final CompletableFuture<CachedAnswer> slot;
        private final int choicesExpected;
        private CompletionAssembler assembler;
        private CachedAnswer whole;
        private String model;
        private String provider;

        Recorder(CompletableFuture<CachedAnswer> slot, int choicesExpected) {
            this.slot = slot;
            this.choicesExpected = choicesExpected;
        }

        @Override
        public void answer(JsonObject completion, Buffer body, String model, String provider) {
            whole = new CachedAnswer(completion, body.copy(), model, provider);
        }

        @Override
        public void event(Buffer data, String model, String provider) {
            if (assembler == null) {
                assembler = new CompletionAssembler();
            }
            this.model = model;
            this.provider = provider;
            assembler.add(data);
        }

        @Override
        public void end(boolean complete) {
            CachedAnswer answer = whole;
            if (answer == null && assembler != null) {
                JsonObject completion = assembler.completion();
                answer = completion == null ? null : new CachedAnswer(completion, completion.toBuffer(), model, provider);
            }
            slot.complete(complete && answer != null && finished(answer.completion()) ? answer : null);
        }

        /** Every expected choice is there and has a finish reason, so no choice was cut. */
        private boolean finished(JsonObject completion) {
            if (choicesExpected == 0) {
                return completion.getValue("data") instanceof JsonArray data && !data.isEmpty();
            }
            if (!(completion.getValue("choices") instanceof JsonArray choices) || choices.size() != choicesExpected) {
                return false;
            }
            for (Object c : choices) {
                if (!(c instanceof JsonObject choice) || !(choice.getValue("finish_reason") instanceof String)) {
                    return false;
                }
            }
            return true;
        }
    }
}
