package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.Featurizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link DifficultyModel}: ridge regression of each prompt's gain (scaled per group so a 1-10
 * judge score and a 0/1 answer weigh alike) on the features and a naive per-bucket estimate, k-fold
 * cross-validation for the APGR per group, and a final fit on every prompt whose score is calibrated on
 * the out-of-fold predictions. Deterministic: the seed only shuffles the folds, sums run in a fixed order.
 *
 * <p>Each group with at least {@code expertMin} prompts (when there are several groups) gets an expert:
 * a copy of the features that is non-zero only in that group's rows, fitted jointly with the shared
 * features, so the copy learns what differs in that group ("frustratingly easy" domain adaptation). As
 * the group of a live request is unknown, a gate per expert, a ridge regression of "is in the group" on
 * the same features, says how much of the expert applies. What one benchmark teaches that contradicts
 * another (a word that marks a hard maths problem and an easy knowledge question) then no longer cancels out.
 */
public final class Trainer {

    /**
     * @param buckets hashed feature space, a power of two
     * @param lambda the L2 penalty
     * @param balance 0 weighs every prompt alike; 1 weighs every group alike; between, the group's weight
     *                goes as its share of prompts to the power {@code -balance}
     * @param smoothing prompts' worth of the mean a bucket's naive estimate starts from, so a rare word says little
     * @param folds cross-validation folds
     * @param seed shuffles prompts into folds
     * @param expertMin prompts a group needs for an expert of its own; 0 for none
     */
    public record Options(int buckets, double lambda, double balance, double smoothing, int folds, long seed,
                          int expertMin) {
        public Options {
            if (buckets < 2 || Integer.bitCount(buckets) != 1) {
                throw new IllegalArgumentException("buckets: " + buckets + " (expected: a power of two >= 2)");
            }
            if (!(lambda > 0)) {
                throw new IllegalArgumentException("lambda: " + lambda + " (expected: > 0)");
            }
            if (!(balance >= 0 && balance <= 1)) {
                throw new IllegalArgumentException("balance: " + balance + " (expected: between 0 and 1)");
            }
            if (!(smoothing >= 0)) {
                throw new IllegalArgumentException("smoothing: " + smoothing + " (expected: >= 0)");
            }
            if (folds < 2) {
                throw new IllegalArgumentException("folds: " + folds + " (expected: >= 2)");
            }
            if (expertMin < 0) {
                throw new IllegalArgumentException("expertMin: " + expertMin + " (expected: >= 0)");
            }
        }

        /** Options with no experts. */
        public Options(int buckets, double lambda, double balance, double smoothing, int folds, long seed) {
            this(buckets, lambda, balance, smoothing, folds, seed, 0);
        }

        public static Options defaults() {
            return new Options(1 << 15, 10.0, 0.75, 50.0, 5, 16, 1000);
        }
    }

    /**
     * @param model trained on every prompt
     * @param crossValidated APGR of the out-of-fold scores, per group
     * @param lengthBaseline APGR of routing the longest prompts first, per group
     * @param outOfFold each prompt's score from the model that did not see it
     */
    public record Result(DifficultyModel model, Map<String, Apgr> crossValidated, Map<String, Apgr> lengthBaseline,
                         double[] outOfFold) {
    }

    private Trainer() {
    }

    public static Result train(List<Example> examples, Options options) {
        Featurizer featurizer = Featurizer.of(options.buckets());
        Rows rows = Rows.of(examples, featurizer);
        int n = examples.size();
        Map<String, Double> scale = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Example e : examples) {
            scale.merge(e.group(), Math.abs(e.gain()), Math::max);
            sizes.merge(e.group(), 1, Integer::sum);
        }
        double[] y = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            double groupScale = scale.get(e.group());
            y[i] = groupScale == 0 ? 0 : e.gain() / groupScale;
            s[i] = StrictMath.pow((double) n / (sizes.size() * sizes.get(e.group())), options.balance());
        }

        List<String> experts = new java.util.ArrayList<>();
        if (options.expertMin() > 0 && sizes.size() > 1) {
            sizes.forEach((group, size) -> {
                if (size >= options.expertMin() && experts.size() < MAX_EXPERTS) {
                    experts.add(group);
                }
            });
        }
        int[] member = new int[n];
        for (int i = 0; i < n; i++) {
            member[i] = experts.indexOf(examples.get(i).group());
        }
        Rows augmented = experts.isEmpty() ? rows : rows.augment(member, experts.size());

        int[] fold = folds(n, options);
        double[] outOfFold = new double[n];
        boolean[] use = new boolean[n];
        for (int f = 0; f < options.folds(); f++) {
            for (int i = 0; i < n; i++) {
                use[i] = fold[i] != f;
            }
            Heads heads = fitHeads(rows, augmented, member, experts.size(), use, y, s, options);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    outOfFold[i] = heads.raw(rows, i);
                }
            }
        }
        Arrays.fill(use, true);
        Heads heads = fitHeads(rows, augmented, member, experts.size(), use, y, s, options);

        int k = 1 + 2 * experts.size();
        int columns = rows.columns;
        float[] weights = new float[options.buckets() * k];
        float[] dense = new float[Featurizer.DENSE.length * k];
        for (int h = 0; h < k; h++) {
            double[] w = h <= experts.size() ? heads.joint : heads.gates[h - 1 - experts.size()];
            int offset = h <= experts.size() ? h * columns : 0;
            for (int j = 0; j < options.buckets(); j++) {
                weights[j * k + h] = (float) w[offset + j];
            }
            for (int d = 0; d < Featurizer.DENSE.length; d++) {
                dense[d * k + h] = (float) w[offset + options.buckets() + d];
            }
        }
        String description = String.format(java.util.Locale.ROOT,
                "ridge prompts=%d buckets=%d lambda=%s balance=%s smoothing=%s folds=%d seed=%d", n, options.buckets(),
                options.lambda(), options.balance(), options.smoothing(), options.folds(), options.seed())
                + (options.expertMin() > 0 ? " expert_min=" + options.expertMin() : "");
        List<String> names = experts.stream().map(g -> g.replaceAll("\\s", "_")).toList();
        DifficultyModel model = DifficultyModel.of(names, weights, dense, knots(outOfFold), description);
        double[] calibrated = new double[n];
        double[] length = new double[n];
        for (int i = 0; i < n; i++) {
            calibrated[i] = model.calibrate(outOfFold[i]);
            length[i] = examples.get(i).text().length();
        }
        return new Result(model, perGroup(examples, outOfFold), perGroup(examples, length), calibrated);
    }

    /** Groups with an expert at most, so a file of many small groups does not make a model of many heads. */
    static final int MAX_EXPERTS = 4;

    /**
     * The fitted heads: the joint weights over the shared and per-expert columns, and a gate per expert.
     */
    private record Heads(double[] joint, double[][] gates, int columns) {
        double raw(Rows rows, int i) {
            double raw = rows.dot(i, joint, 0);
            for (int g = 0; g < gates.length; g++) {
                double gate = Math.max(0, Math.min(1, rows.dot(i, gates[g], 0)));
                if (gate > 0) {
                    raw += gate * rows.dot(i, joint, (g + 1) * columns);
                }
            }
            return raw;
        }
    }

    private static Heads fitHeads(Rows rows, Rows augmented, int[] member, int experts, boolean[] use, double[] y,
                                  double[] s, Options options) {
        double[][] gates = new double[experts][];
        for (int g = 0; g < experts; g++) {
            double[] in = new double[rows.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = member[i] == g ? 1 : 0;
            }
            gates[g] = fit(rows, use, in, s, options);
        }
        return new Heads(fit(augmented, use, y, s, options), gates, rows.columns);
    }

    /**
     * Ridge over the features plus one more: each prompt's naive estimate, the sum of its buckets' mean
     * target among the training prompts holding them. Being linear in the features, it folds into their
     * weights, so the model keeps its form; it lets words seen in few prompts carry their evidence.
     */
    private static double[] fit(Rows rows, boolean[] use, double[] y, double[] s, Options options) {
        int buckets = options.buckets();
        double[] sum = new double[buckets];
        double[] mass = new double[buckets];
        double total = 0;
        double weight = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (use[i]) {
                total += s[i] * y[i];
                weight += s[i];
            }
        }
        double mean = weight == 0 ? 0 : total / weight;
        for (int i = 0; i < rows.size(); i++) {
            if (!use[i]) {
                continue;
            }
            int[] idx = rows.index[i];
            float[] val = rows.value[i];
            for (int j = 0; j < idx.length && idx[j] < buckets; j++) {
                sum[idx[j]] += s[i] * val[j] * (y[i] - mean);
                mass[idx[j]] += s[i] * val[j];
            }
        }
        double[] ratio = new double[rows.columns];
        for (int j = 0; j < buckets; j++) {
            ratio[j] = sum[j] / (mass[j] + options.smoothing());
        }
        double[] naive = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            naive[i] = rows.dot(i, ratio);
        }
        double[] w = Ridge.fit(rows, naive, use, y, s, options.lambda());
        double beta = w[rows.columns];
        double[] out = new double[rows.columns];
        for (int j = 0; j < rows.columns; j++) {
            out[j] = w[j] + beta * ratio[j];
        }
        return out;
    }

    /** Assigns each prompt a fold: a seeded shuffle dealt round-robin, so folds differ in size by one at most. */
    private static int[] folds(int n, Options options) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int k = 0; k < n; k++) {
            fold[order[k]] = k % options.folds();
        }
        return fold;
    }

    private static float[] knots(double[] raw) {
        double[] sorted = raw.clone();
        Arrays.sort(sorted);
        float[] knots = new float[DifficultyModel.KNOTS];
        for (int k = 0; k < knots.length; k++) {
            int at = (int) Math.round((double) k * (sorted.length - 1) / (knots.length - 1));
            knots[k] = (float) sorted[at];
        }
        for (int k = 1; k < knots.length; k++) {
            knots[k] = Math.max(knots[k], knots[k - 1]);
        }
        return knots;
    }

    private static Map<String, Apgr> perGroup(List<Example> examples, double[] scores) {
        Map<String, Apgr> out = new LinkedHashMap<>();
        for (String group : examples.stream().map(Example::group).distinct().sorted().toList()) {
            int[] members = java.util.stream.IntStream.range(0, examples.size())
                    .filter(i -> examples.get(i).group().equals(group) && !examples.get(i).heldOut()).toArray();
            if (members.length == 0) {
                continue;
            }
            double[] sc = new double[members.length];
            double[] gains = new double[members.length];
            for (int k = 0; k < members.length; k++) {
                sc[k] = scores[members[k]];
                gains[k] = examples.get(members[k]).gain();
            }
            out.put(group, Apgr.of(sc, gains));
        }
        return out;
    }
}
