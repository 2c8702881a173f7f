package dev.gearbox.bench;

import dev.gearbox.cache.AnswerSink;
import dev.gearbox.cache.CacheKey;
import dev.gearbox.cache.ResponseCache;
import dev.gearbox.config.CacheConfig;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The cache key of a request, and a whole in-process hit: key, lookup, answer. Target: a hit in at most 50 µs. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheBenchmark {

    private JsonObject body;
    private ResponseCache cache;

    @Setup
    public void setUp() {
        body = new JsonObject(RoutingBenchmark.BODY).put("temperature", 0);
        cache = new ResponseCache(CacheConfig.defaults(), Clock.systemUTC());
        ResponseCache.Lead lead = (ResponseCache.Lead) cache.claim(CacheKey.of("anonymous", "sim-cheap", body), true, true);
        JsonObject completion = new JsonObject("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"sim-cheap","choices":[{"index":0,
                 "message":{"role":"assistant","content":"Delayed parcels are usually traced by the courier first."},
                 "finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":12,"total_tokens":72}}""");
        AnswerSink sink = cache.recorder(lead.slot(), 1);
        sink.answer(completion, completion.toBuffer(), "sim-cheap", "sim");
        sink.end(true);
    }

    @Benchmark
    public CacheKey key() {
        return CacheKey.of("anonymous", "sim-cheap", body);
    }

    @Benchmark
    public Object hit() {
        ResponseCache.Claim claim = cache.claim(CacheKey.of("anonymous", "sim-cheap", body), true, true);
        return ((ResponseCache.Hit) claim).answer().body();
    }
}
