package dev.gearbox.routing.difficulty;

import java.util.List;

/**
 * A trained reasoning-need score: the weights of a linear model over the {@link Featurizer}'s features,
 * and the calibration that maps its output into [0, 1].
 *
 * <p>The shared head says how much a request needs a reasoning model, learned from prompts labelled by
 * whether they do. The model may also have experts: for each large group of prompts whose gain from a
 * strong model was measured (a benchmark, a slice of traffic), a correction that ranks prompts of that
 * group by their gain, and a gate that tells how much a request looks like one of that group. The raw
 * output is {@code shared(x) + Σ gate(g(x)) · (expert_g(x) + replace_g · (anchor_g - shared(x)))}, where
 * {@link #gate} opens an expert only for a request that looks like one of its group ({@link Expert}: how much
 * of the shared head the expert replaces there): a request that looks like none gets the shared head alone. The weights of all heads are interleaved per bucket, so each
 * feature costs one cache line however many heads there are.
 *
 * <p>The score is {@code 1 / (1 + e^(-slope · (raw - center)))}: the shared head is fitted to 1 for
 * prompts that plainly need reasoning and 0 for those that plainly do not, so {@code center} (½) is the
 * boundary and a score above 0.5 reads as "more likely than not to need a reasoning model". Immutable and
 * thread-safe; {@link #score} allocates nothing but a small sink the JIT keeps off the heap.
 */
public final class DifficultyModel {

    /** The most values (buckets times heads) a model may hold: 64 MiB of floats. */
    static final int MAX_VALUES = 1 << 24;

    private final Featurizer featurizer;
    private final List<Expert> experts;
    private final int heads;
    private final float[] weights;
    private final float[] dense;
    private final float center;
    private final float slope;
    private final String description;

    private DifficultyModel(List<Expert> experts, float[] weights, float[] dense, float center, float slope, String description) {
        this.experts = experts;
        this.heads = 1 + 2 * experts.size();
        this.featurizer = Featurizer.of(weights.length / heads);
        this.weights = weights;
        this.dense = dense;
        this.center = center;
        this.slope = slope;
        this.description = description;
    }

    /**
     * @param experts the groups with an expert and a gate, in order, with how each applies; {@code heads = 1 + 2 · experts}
     * @param weights {@code heads} per hashed bucket, interleaved: bucket {@code b}'s shared weight at
     *                {@code b · heads}, expert {@code g}'s at {@code b · heads + 1 + g}, gate {@code g}'s at
     *                {@code b · heads + 1 + experts + g}; a power of two of buckets
     * @param dense {@code heads} per {@link Featurizer#DENSE} feature, interleaved the same way
     * @param center the raw output that scores 0.5
     * @param slope how fast the score rises with the raw output, > 0
     * @param description how the model was trained, one line
     */
    public static DifficultyModel of(List<Expert> experts, float[] weights, float[] dense, float center, float slope,
                                     String description) {
        int heads = 1 + 2 * experts.size();
        int buckets = weights.length / heads;
        if (weights.length % heads != 0 || buckets < 2 || Integer.bitCount(buckets) != 1 || weights.length > MAX_VALUES) {
            throw new IllegalArgumentException("weights: " + weights.length + " (expected: " + heads
                    + " heads times a power of two >= 2, at most " + MAX_VALUES + " in all)");
        }
        if (dense.length != Featurizer.DENSE.length * heads) {
            throw new IllegalArgumentException("dense: " + dense.length + " (expected: " + Featurizer.DENSE.length * heads + ")");
        }
        if (!Float.isFinite(center)) {
            throw new IllegalArgumentException("center: " + center + " (expected: a finite number)");
        }
        if (!(slope > 0 && Float.isFinite(slope))) {
            throw new IllegalArgumentException("slope: " + slope + " (expected: > 0)");
        }
        if (description.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("description: expected one line");
        }
        return new DifficultyModel(List.copyOf(experts), weights.clone(), dense.clone(), center, slope, description);
    }

    /** A model of one head, with the default calibration; for tests and tools. */
    public static DifficultyModel of(float[] weights, float[] dense, String description) {
        return of(List.of(), weights, dense, 0.5f, 6f, description);
    }

    /**
     * The resource holding the prompts the shipped weights were trained on ({@code train-router --data shipped}):
     * labelled prompts and routing-eval's measured gains, gzipped JSON lines.
     */
    public static final String CORPUS = "/dev/gearbox/routing/difficulty/corpus.jsonl.gz";

    /** The resource the shipped weights are read from, trained by {@code gearbox.jar train-router}. */
    public static final String SHIPPED = "/dev/gearbox/routing/difficulty/weights.txt";

    /**
     * The model shipped in the jar; read on first use, which the rules compiler makes happen at start-up
     * rather than on an event loop.
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

    /** The groups the model has an expert and a gate for, with how each applies; empty for the shared head alone. */
    public List<Expert> experts() {
        return experts;
    }

    /** The names of the groups with an expert. */
    public List<String> expertGroups() {
        return experts.stream().map(Expert::group).toList();
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

    float center() {
        return center;
    }

    float slope() {
        return slope;
    }

    /** The need for a reasoning model of a conversation, in [0, 1]. */
    public double score(Conversation conversation) {
        return calibrate(raw(conversation));
    }

    /** The need of a single prompt sent as one user message. */
    public double score(String prompt) {
        return score(Conversation.of(prompt));
    }

    /**
     * The need of a request kept as its features: its text's score, up to the order in which the sums are
     * rounded. Throws {@link IllegalArgumentException} for features counted over other buckets than these weights'.
     */
    public double score(FeatureRow row) {
        int buckets = featurizer.buckets();
        if (row.buckets() != buckets) {
            throw new IllegalArgumentException("features counted over " + row.buckets() + " buckets (expected: "
                    + buckets + ", these weights')");
        }
        int[] columns = row.columns();
        float[] values = row.values();
        double[] sums = new double[heads];
        for (int j = 0; j < columns.length; j++) {
            int column = columns[j];
            float[] w = column < buckets ? weights : dense;
            int at = (column < buckets ? column : column - buckets) * heads;
            for (int k = 0; k < heads; k++) {
                sums[k] += values[j] * w[at + k];
            }
        }
        return calibrate(combine(k -> sums[k]));
    }

    /** The need of a prompt, whether its text or the features kept of it. */
    public double score(Prompt prompt) {
        return prompt instanceof FeatureRow row ? score(row) : score((Conversation) prompt);
    }

    /** The linear model's output before calibration. */
    public double raw(Conversation c) {
        if (heads == 1) {
            Sums.Dot dot = new Sums.Dot(weights, dense);
            featurizer.features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), dot);
            return dot.value();
        }
        if (heads == 5) {
            Sums.TwoExperts dot = new Sums.TwoExperts(weights, dense);
            featurizer.features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), dot);
            double shared = dot.head(0);
            double raw = shared;
            double gate = gate(dot.head(3));
            if (gate > 0) {
                raw += experts.get(0).adds(shared, dot.head(1), gate);
            }
            gate = gate(dot.head(4));
            if (gate > 0) {
                raw += experts.get(1).adds(shared, dot.head(2), gate);
            }
            return raw;
        }
        Sums.Heads dot = new Sums.Heads(weights, dense, heads);
        featurizer.features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), dot);
        return combine(dot::value);
    }

    /** The raw output from each head's sum: the shared head plus each expert as its gate opens it. */
    double combine(java.util.function.IntToDoubleFunction head) {
        int e = experts.size();
        double shared = head.applyAsDouble(0);
        double raw = shared;
        for (int g = 0; g < e; g++) {
            double gate = gate(head.applyAsDouble(1 + e + g));
            if (gate > 0) {
                raw += experts.get(g).adds(shared, head.applyAsDouble(1 + g), gate);
            }
        }
        return raw;
    }

    /**
     * How far a gate's output opens its expert. A ridge fit of "is in the group" gives most of the group's
     * own prompts 0.85 to 1 and everything else up to about 0.4, so the expert applies from 0.5, fully from
     * 0.9: a request merely like a benchmark (a maths question that is not a grade-school word problem) gets
     * the shared head alone rather than a benchmark's ranking. Chosen by cross-validation (routing-rules/README.md).
     */
    public static double gate(double value) {
        return Math.max(0, Math.min(1, (value - GATE_SHUT) / (GATE_OPEN - GATE_SHUT)));
    }

    static final double GATE_SHUT = 0.5;
    static final double GATE_OPEN = 0.9;

    /** Maps a raw output into (0, 1), keeping its order. */
    public double calibrate(double raw) {
        return 1 / (1 + Math.exp(-slope * (raw - center)));
    }
}
