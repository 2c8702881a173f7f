package dev.gearbox.bench.embedding;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.SplittableRandom;
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

/**
 * Issue #16 item 5: what a decision on a MiniLM embedding would cost, on DifficultyBenchmark's 500-token
 * prompt. {@code embedAndScore} embeds it in process (quantized all-MiniLM-L6-v2 on ONNX Runtime, one
 * intra-op thread) and takes the ridge score, a dot product with 384 weights plus an intercept (fixed
 * random weights: the cost does not depend on their values); {@code linear} is the shipped linear score
 * in the same run, for the comparison on a machine whose load varies. Run with {@code -prof gc} for the
 * allocation; the JVM heap is only part of it, as ONNX Runtime allocates its tensors natively.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmbeddingBenchmark {

    private MiniLm embedder;
    private double[] weights;
    private DifficultyModel linear;

    @Setup
    public void setUp() {
        embedder = new MiniLm(1);
        SplittableRandom random = new SplittableRandom(16);
        weights = new double[MiniLm.DIMENSION + 1];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = random.nextDouble(-1, 1);
        }
        linear = DifficultyModel.shipped();
        // Over 510 word pieces the encoder runs the model once per window; the prompt must fit in one.
        int pieces = new HuggingFaceTokenCountEstimator().estimateTokenCountInText(dev.gearbox.bench.DifficultyBenchmark.PROMPT);
        if (pieces > 510) {
            throw new IllegalStateException("the prompt has " + pieces + " word pieces (expected: at most 510)");
        }
    }

    @Benchmark
    public double embedAndScore() {
        float[] x = embedder.vector(dev.gearbox.bench.DifficultyBenchmark.PROMPT);
        double sum = weights[MiniLm.DIMENSION];
        for (int j = 0; j < x.length; j++) {
            sum += weights[j] * x[j];
        }
        return sum;
    }

    @Benchmark
    public double linear() {
        return linear.score(dev.gearbox.bench.DifficultyBenchmark.PROMPT);
    }
}
