package dev.gearbox.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.CacheConfig;
import dev.gearbox.testing.MutableClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void theFirstRequestLeadsTheNextWaitsAndThenHits() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L), clock);
        CacheKey key = key("a");

        ResponseCache.Lead lead = (ResponseCache.Lead) cache.claim(key, true, true);
        ResponseCache.Claim waiting = cache.claim(key, true, true);
        assertThat(waiting).isInstanceOf(ResponseCache.Pending.class);

        AnswerSink sink = cache.recorder(lead.slot(), 1);
        sink.answer(completion("stop"), completion("stop").toBuffer(), "m", "p");
        sink.end(true);

        assertThat(((ResponseCache.Pending) waiting).answer().join().model()).isEqualTo("m");
        assertThat(cache.claim(key, true, true)).isInstanceOf(ResponseCache.Hit.class);
    }

    @Test
    void neverKeepsErrorsCutAnswersOrUnfinishedChoices() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L), clock);

        assertNotKept(cache, key("error"), sink -> sink.end(false));
        assertNotKept(cache, key("cut"), sink -> {
            sink.event(Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"}}]}"), "m", "p");
            sink.end(false);
        });
        assertNotKept(cache, key("unfinished"), sink -> {
            sink.answer(completion(null), completion(null).toBuffer(), "m", "p");
            sink.end(true);
        });
    }

    @Test
    void noCacheSkipsTheLookupAndNoStoreTheStoring() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L), clock);
        CacheKey key = key("a");
        store(cache, key);

        assertThat(cache.claim(key, false, false)).isInstanceOf(ResponseCache.Miss.class);
        assertThat(cache.claim(key, true, false)).isInstanceOf(ResponseCache.Hit.class);
        assertThat(cache.claim(key("b"), true, false)).isInstanceOf(ResponseCache.Miss.class);
        assertThat(cache.claim(key("b"), true, true)).isInstanceOf(ResponseCache.Lead.class);
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L), clock);
        store(cache, key("a"));

        clock.advance(Duration.ofSeconds(61));

        assertThat(cache.claim(key("a"), true, false)).isInstanceOf(ResponseCache.Miss.class);
    }

    @Test
    void evictsToStayUnderTheByteBound() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 20_000L, 600L), clock);
        for (int i = 0; i < 100; i++) {
            store(cache, key("k" + i));
        }
        cache.cleanUp();

        JsonObject stats = cache.stats();
        assertThat(stats.getLong("bytes")).isLessThanOrEqualTo(20_000L);
        assertThat(stats.getLong("entries")).isLessThan(100L).isPositive();
    }

    @Test
    void invalidatesOneModelOrEverything() {
        ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L), clock);
        store(cache, new CacheKey("h1", "m1"));
        store(cache, new CacheKey("h2", "m2"));

        assertThat(cache.invalidate("m1")).isEqualTo(1);
        assertThat(cache.claim(new CacheKey("h2", "m2"), true, false)).isInstanceOf(ResponseCache.Hit.class);
        assertThat(cache.invalidate(null)).isEqualTo(1);
    }

    private static void store(ResponseCache cache, CacheKey key) {
        ResponseCache.Lead lead = (ResponseCache.Lead) cache.claim(key, true, true);
        AnswerSink sink = cache.recorder(lead.slot(), 1);
        sink.answer(completion("stop"), completion("stop").toBuffer(), key.model(), "p");
        sink.end(true);
    }

    private static void assertNotKept(ResponseCache cache, CacheKey key, java.util.function.Consumer<AnswerSink> answer) {
        ResponseCache.Lead lead = (ResponseCache.Lead) cache.claim(key, true, true);
        answer.accept(cache.recorder(lead.slot(), 1));
        assertThat(lead.slot().join()).isNull();
        assertThat(cache.claim(key, true, false)).isInstanceOf(ResponseCache.Miss.class);
    }

    private static CacheKey key(String text) {
        return CacheKey.of("t", "m", new JsonObject().put("messages", text));
    }

    private static JsonObject completion(String finish) {
        return new JsonObject("""
                {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"%s"},"finish_reason":%s}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"""
                .formatted("x".repeat(400), finish == null ? "null" : "\"" + finish + "\""));
    }
}
