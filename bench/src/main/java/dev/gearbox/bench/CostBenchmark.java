package dev.gearbox.bench;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.Pricing;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.CostCalculator;
import dev.gearbox.cost.Usage;
import io.vertx.core.json.JsonObject;
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

/** Cost accounting of one answer: read its usage block, price it and its baseline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CostBenchmark {

    private JsonObject usage;
    private ModelConfig model;
    private ModelConfig baseline;

    @Setup
    public void setUp() {
        usage = new JsonObject("""
                {"prompt_tokens":1200,"completion_tokens":480,"total_tokens":1680,
                 "prompt_tokens_details":{"cached_tokens":512},"completion_tokens_details":{"reasoning_tokens":256}}""");
        model = new ModelConfig("gpt-4o-mini", "openai", null, null, "cheap", new Pricing(0.15, 0.075, 0.6, null),
                null, null, null, null, null, null);
        baseline = new ModelConfig("o1", "openai", null, null, "reasoning", new Pricing(15.0, 7.5, 60.0, null),
                null, null, null, null, null, null);
    }

    @Benchmark
    public Cost account() {
        return CostCalculator.cost(model, baseline, Usage.fromJson(usage));
    }
}
