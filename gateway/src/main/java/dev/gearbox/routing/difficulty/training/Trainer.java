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
     */
    public record Options(int buckets, double lambda, double balance, double smoothing, int folds, long seed) {
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
        }

        public static Options defaults() {
            return new Options(1 << 17, 10.0, 0.75, 50.0, 5, 16);
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

        int[] fold = folds(n, options);
        double[] outOfFold = new double[n];
        boolean[] use = new boolean[n];
        for (int f = 0; f < options.folds(); f++) {
            for (int i = 0; i < n; i++) {
                use[i] = fold[i] != f;
            }
            double[] w = fit(rows, use, y, s, options);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    outOfFold[i] = rows.dot(i, w);
                }
            }
        }
        Arrays.fill(use, true);
        double[] w = fit(rows, use, y, s, options);

        float[] weights = new float[options.buckets()];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = (float) w[j];
        }
        float[] dense = new float[Featurizer.DENSE.length];
        for (int d = 0; d < dense.length; d++) {
            dense[d] = (float) w[options.buckets() + d];
        }
        String description = String.format(java.util.Locale.ROOT,
                "ridge prompts=%d buckets=%d lambda=%s balance=%s smoothing=%s folds=%d seed=%d", n, options.buckets(),
                options.lambda(), options.balance(), options.smoothing(), options.folds(), options.seed());
        DifficultyModel model = DifficultyModel.of(weights, dense, knots(outOfFold), description);
        double[] calibrated = new double[n];
        double[] length = new double[n];
        for (int i = 0; i < n; i++) {
            calibrated[i] = model.calibrate(outOfFold[i]);
            length[i] = examples.get(i).text().length();
        }
        return new Result(model, perGroup(examples, outOfFold), perGroup(examples, length), calibrated);
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
