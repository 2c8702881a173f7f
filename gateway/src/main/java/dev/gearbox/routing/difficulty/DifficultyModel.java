package dev.gearbox.routing.difficulty;

import java.util.Arrays;

/**
 * A trained difficulty model: the weights of a linear model over the {@link Featurizer}'s features, and
 * the quantiles of its raw output on the training prompts, which map it to a score in [0, 1].
 *
 * <p>The model may have experts: for each large group of its training prompts (a benchmark, a slice of
 * traffic), a linear correction that applies to prompts of that group, and a linear gate that tells how
 * much a prompt looks like one of that group. The raw output is then
 * {@code shared(x) + Σ clamp(gate_g(x), 0, 1) · expert_g(x)}: a prompt that looks like none of the groups
 * gets the shared model alone. The weights of all heads are interleaved per bucket, so each feature costs
 * one cache line however many heads there are.
 *
 * <p>A score of 0.8 means the prompt looks harder than 80% of the prompts the model was trained on, so
 * the score is comparable across models and a threshold reads as a share. Immutable and thread-safe;
 * {@link #score} allocates nothing but a small sink the JIT keeps off the heap.
 */
public final class DifficultyModel {

    /** Quantile knots: the raw output at 0%, 1%, ..., 100% of the training prompts. */
    public static final int KNOTS = 101;

    private final Featurizer featurizer;
    private final java.util.List<String> experts;
    private final int heads;
    private final float[] weights;
    private final float[] dense;
    private final float[] knots;
    private final String description;

    private DifficultyModel(java.util.List<String> experts, float[] weights, float[] dense, float[] knots, String description) {
        this.experts = experts;
        this.heads = 1 + 2 * experts.size();
        this.featurizer = Featurizer.of(weights.length / heads);
        this.weights = weights;
        this.dense = dense;
        this.knots = knots;
        this.description = description;
    }

    /**
     * A model with no experts.
     *
     * @param weights one per hashed bucket, a power of two of them
     * @param dense one per {@link Featurizer#DENSE} feature
     * @param knots {@link #KNOTS} raw outputs, non-decreasing
     * @param description how the model was trained, one line
     */
    public static DifficultyModel of(float[] weights, float[] dense, float[] knots, String description) {
        return of(java.util.List.of(), weights, dense, knots, description);
    }

    /**
     * @param experts the groups with an expert and a gate, in order; {@code heads = 1 + 2 · experts}
     * @param weights {@code heads} per hashed bucket, interleaved: bucket {@code b}'s shared weight at
     *                {@code b · heads}, expert {@code g}'s at {@code b · heads + 1 + g}, gate {@code g}'s at
     *                {@code b · heads + 1 + experts + g}; a power of two of buckets
     * @param dense {@code heads} per {@link Featurizer#DENSE} feature, interleaved the same way
     * @param knots {@link #KNOTS} raw outputs, non-decreasing
     * @param description how the model was trained, one line
     */
    public static DifficultyModel of(java.util.List<String> experts, float[] weights, float[] dense, float[] knots,
                                     String description) {
        for (String e : experts) {
            if (e.isEmpty() || e.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("expert '" + e + "' (expected: a name without spaces)");
            }
        }
        int heads = 1 + 2 * experts.size();
        int buckets = weights.length / heads;
        if (weights.length % heads != 0 || buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("weights: " + weights.length + " (expected: " + heads
                    + " heads times a power of two >= 2)");
        }
        if (dense.length != Featurizer.DENSE.length * heads) {
            throw new IllegalArgumentException("dense: " + dense.length + " (expected: " + Featurizer.DENSE.length * heads + ")");
        }
        if (knots.length != KNOTS) {
            throw new IllegalArgumentException("knots: " + knots.length + " (expected: " + KNOTS + ")");
        }
        for (int i = 1; i < KNOTS; i++) {
            if (!(knots[i] >= knots[i - 1])) {
                throw new IllegalArgumentException("knots[" + i + "]: " + knots[i] + " (expected: >= " + knots[i - 1] + ")");
            }
        }
        if (description.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("description: expected one line");
        }
        return new DifficultyModel(java.util.List.copyOf(experts), weights.clone(), dense.clone(), knots.clone(), description);
    }

    /** The resource the shipped weights are read from, trained by {@code gearbox.jar train-router}. */
    public static final String SHIPPED = "/dev/gearbox/routing/difficulty/weights.txt";

    /**
     * The model trained on routing-eval's dev prompts and shipped in the jar; read on first use, which the
     * rules compiler makes happen at start-up rather than on an event loop.
     */
    public static DifficultyModel shipped() {
        return Shipped.MODEL;
    }

    private static final class Shipped {
        static final DifficultyModel MODEL = load();

        private static DifficultyModel load() {
            java.io.InputStream in = DifficultyModel.class.getResourceAsStream(SHIPPED);
            if (in == null) {
                throw new IllegalStateException("the jar has no " + SHIPPED);
            }
            try (java.io.BufferedReader reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
                return WeightsFormat.read(SHIPPED, reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public Featurizer featurizer() {
        return featurizer;
    }

    public String description() {
        return description;
    }

    /** The groups the model has an expert and a gate for; empty for a single linear model. */
    public java.util.List<String> experts() {
        return experts;
    }

    int heads() {
        return heads;
    }

    float[] weights() {
        return weights;
    }

    float[] dense() {
        return dense;
    }

    float[] knots() {
        return knots;
    }

    /** The difficulty of a conversation in [0, 1]; see {@link Featurizer#features} for the arguments. */
    public double score(CharSequence lastUserMessage, int turns, boolean tools, int systemChars) {
        return calibrate(raw(lastUserMessage, turns, tools, systemChars));
    }

    /** The linear model's output before calibration: the expected gain of the strong model, in units of the training scale. */
    public double raw(CharSequence lastUserMessage, int turns, boolean tools, int systemChars) {
        if (heads == 1) {
            Sums.Dot dot = new Sums.Dot(weights, dense);
            featurizer.features(lastUserMessage, turns, tools, systemChars, dot);
            return dot.value();
        }
        if (heads == 3) {
            Sums.OneExpert dot = new Sums.OneExpert(weights, dense);
            featurizer.features(lastUserMessage, turns, tools, systemChars, dot);
            return dot.value();
        }
        Sums.Heads dot = new Sums.Heads(weights, dense, heads);
        featurizer.features(lastUserMessage, turns, tools, systemChars, dot);
        int e = experts.size();
        double raw = dot.value(0);
        for (int g = 0; g < e; g++) {
            double gate = Math.max(0, Math.min(1, dot.value(1 + e + g)));
            if (gate > 0) {
                raw += gate * dot.value(1 + g);
            }
        }
        return raw;
    }

    /** Maps a raw output to its share of training prompts below it, interpolating between knots. */
    public double calibrate(double raw) {
        if (!(raw >= knots[0])) {
            return 0;
        }
        if (raw > knots[KNOTS - 1]) {
            return 1;
        }
        int hi = Arrays.binarySearch(knots, (float) raw);
        if (hi < 0) {
            hi = -hi - 1;
        } else {
            // Equal knots: land in the middle of the run so ties do not all read as the lowest share.
            int lo = hi;
            while (lo > 0 && knots[lo - 1] == knots[hi]) {
                lo--;
            }
            while (hi < KNOTS - 1 && knots[hi + 1] == knots[lo]) {
                hi++;
            }
            return (lo + hi) / 2.0 / (KNOTS - 1);
        }
        int lo = hi - 1;
        double t = (raw - knots[lo]) / ((double) knots[hi] - knots[lo]);
        return (lo + t) / (KNOTS - 1);
    }
}
