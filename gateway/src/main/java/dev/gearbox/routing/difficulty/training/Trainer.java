package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.Expert;
import dev.gearbox.routing.difficulty.Featurizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link DifficultyModel}: a shared head that says how much a prompt needs a reasoning model, and
 * an expert with a gate for each large group of prompts whose gain from a strong model was measured.
 *
 * <ul>
 *   <li>The shared head is a weighted ridge regression of the labelled prompts' need (1 for "reasoning",
 *       0 for "cheap", between for a source that is harder on average) on the features.</li>
 *   <li>An expert is a ridge regression of its group's gains (scaled by the group's largest), centred on the
 *       group so it reorders the group without moving it, and multiplied by {@code expertWeight}: within a
 *       benchmark whose prompts all look alike to the shared head, the measured gains say which need a
 *       strong model most.</li>
 *   <li>A gate is a ridge regression of "is in the group" on the features over every prompt, so it opens on
 *       prompts that look like the group's and stays shut on everything else.</li>
 * </ul>
 *
 * <p>With {@code folds} of at least 2, k-fold cross-validation chooses how much of the shared head each expert
 * replaces within its group ({@link Expert}), and reports the accuracy of the labelled prompts at the
 * score's midpoint and the APGR of each group with gains; without folds, experts replace none of it. Deterministic: the seed only
 * shuffles the folds, sums run in a fixed order.
 */
public final class Trainer {

    /** Groups with an expert at most, so a file of many groups does not make a model of many heads. */
    static final int MAX_EXPERTS = 4;

    /**
     * @param buckets hashed feature space, a power of two
     * @param lambda the L2 penalty of the shared head
     * @param gateLambda the L2 penalty of the gates
     * @param expertLambda the L2 penalty of the experts
     * @param expertWeight how much an expert's ranking counts against the shared head's within its group
     * @param expertMin prompts with gains a group needs for an expert of its own; 0 for none
     * @param folds cross-validation folds; 0 for none (training alone, no figures)
     * @param seed shuffles prompts into folds
     * @param slope the calibration's slope: how fast the score rises around the midpoint
     */
    public record Options(int buckets, double lambda, double gateLambda, double expertLambda, double expertWeight,
                          int expertMin, int folds, long seed, double slope) {
        public Options {
            if (buckets < 2 || Integer.bitCount(buckets) != 1) {
                throw new IllegalArgumentException("buckets: " + buckets + " (expected: a power of two >= 2)");
            }
            for (double l : new double[] {lambda, gateLambda, expertLambda}) {
                if (!(l > 0)) {
                    throw new IllegalArgumentException("lambda: " + l + " (expected: > 0)");
                }
            }
            if (!(expertWeight >= 0)) {
                throw new IllegalArgumentException("expertWeight: " + expertWeight + " (expected: >= 0)");
            }
            if (expertMin < 0) {
                throw new IllegalArgumentException("expertMin: " + expertMin + " (expected: >= 0)");
            }
            if (folds == 1 || folds < 0) {
                throw new IllegalArgumentException("folds: " + folds + " (expected: 0, or at least 2)");
            }
            if (!(slope > 0)) {
                throw new IllegalArgumentException("slope: " + slope + " (expected: > 0)");
            }
        }

        public static Options defaults() {
            return new Options(1 << 15, 1.0, 10.0, 10.0, 4.0, 500, 5, 16, 6.0);
        }

        public Options withFolds(int folds) {
            return new Options(buckets, lambda, gateLambda, expertLambda, expertWeight, expertMin, folds, seed, slope);
        }

        public Options withSeed(long seed) {
            return new Options(buckets, lambda, gateLambda, expertLambda, expertWeight, expertMin, folds, seed, slope);
        }
    }

    /**
     * @param model trained on every prompt
     * @param accuracy per group of labelled prompts, cross-validated; empty without folds
     * @param ranking APGR per group with gains, cross-validated; empty without folds
     * @param lengthBaseline APGR of routing the longest prompts first, per group with gains
     * @param outOfFold each prompt's score from the model that did not see it; empty without folds
     */
    public record Result(DifficultyModel model, Map<String, Accuracy> accuracy, Map<String, Apgr> ranking,
                         Map<String, Apgr> lengthBaseline, double[] outOfFold) {
    }

    private Trainer() {
    }

    public static Result train(List<Example> examples, Options options) {
        return train(examples, folds(examples.size(), options.folds(), options.seed()), options);
    }

    /**
     * Trains on several sources at once, such as the shipped corpus and a gateway's labels, each dealt into
     * folds apart (the first by the seed, the k-th by the seed plus k), so a source is cross-validated on the
     * same folds with or without the others: the corpus's figures with labels added are comparable with the
     * shipped weights' own. One source trains exactly as {@link #train(List, Options)} does.
     */
    public static Result trainSources(List<List<Example>> sources, Options options) {
        List<Example> examples = new ArrayList<>();
        int[] fold = new int[sources.stream().mapToInt(List::size).sum()];
        int at = 0;
        for (int k = 0; k < sources.size(); k++) {
            List<Example> source = sources.get(k);
            System.arraycopy(folds(source.size(), options.folds(), options.seed() + k), 0, fold, at, source.size());
            examples.addAll(source);
            at += source.size();
        }
        return train(examples, fold, options);
    }

    private static Result train(List<Example> examples, int[] fold, Options options) {
        int n = examples.size();
        double[] need = new double[n];
        double[] gain = new double[n];
        boolean[] labelled = new boolean[n];
        for (int i = 0; i < n; i++) {
            Label label = examples.get(i).label();
            if (label instanceof Label.Need x) {
                need[i] = x.target();
                labelled[i] = true;
            } else if (label instanceof Label.Gain x) {
                gain[i] = x.gain();
            }
        }
        if (!contains(labelled, true)) {
            throw new IllegalArgumentException("no labelled prompts (expected some with \"label\": reasoning or cheap,"
                    + " or a \"target\"): the score learns what needs reasoning from them, gains only refine it");
        }
        Rows rows = Rows.of(examples, Featurizer.of(options.buckets()));
        List<Group> experts = experts(examples, labelled, gain, options);
        // Each prompt's heads from the model that did not see it: the shared head, then per expert its output,
        // its gate and its anchor; from these the share of the shared head each expert replaces is chosen.
        double[][] outOfFold = new double[n][];
        if (options.folds() >= 2) {
            boolean[] use = new boolean[n];
            for (int f = 0; f < options.folds(); f++) {
                for (int i = 0; i < n; i++) {
                    use[i] = fold[i] != f;
                }
                Heads heads = Heads.fit(rows, examples, experts, use, need, labelled, options);
                for (int i = 0; i < n; i++) {
                    if (fold[i] == f) {
                        outOfFold[i] = heads.values(rows, i);
                    }
                }
            }
        }
        double[] replace = replaces(examples, experts, labelled, gain, outOfFold, options);
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        Heads heads = Heads.fit(rows, examples, experts, all, need, labelled, options);
        DifficultyModel model = heads.model(experts, replace, options, description(examples, labelled, options));
        if (options.folds() < 2) {
            return new Result(model, Map.of(), Map.of(), Map.of(), new double[0]);
        }
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            raw[i] = Heads.raw(outOfFold[i], replace);
        }
        double[] scores = new double[n];
        double[] length = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = model.calibrate(raw[i]);
            length[i] = examples.get(i).length();
        }
        return new Result(model, Reports.accuracy(examples, scores, need, labelled),
                Reports.ranking(examples, scores, gain, labelled), Reports.ranking(examples, length, gain, labelled), scores);
    }

    /** A group of prompts with measured gains large enough for an expert, and the scale of its gains. */
    record Group(String name, double scale) {
    }

    private static List<Group> experts(List<Example> examples, boolean[] labelled, double[] gain, Options options) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, Double> scale = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            if (!labelled[i]) {
                sizes.merge(examples.get(i).group(), 1, Integer::sum);
                scale.merge(examples.get(i).group(), Math.abs(gain[i]), Math::max);
            }
        }
        List<Group> out = new ArrayList<>();
        sizes.forEach((group, size) -> {
            if (options.expertMin() > 0 && size >= options.expertMin() && scale.get(group) > 0 && out.size() < MAX_EXPERTS) {
                out.add(new Group(group, scale.get(group)));
            }
        });
        return out;
    }

    /** The shares of the shared head each expert replaces, from the grid, the one its group's prompts rank best by. */
    private static double[] replaces(List<Example> examples, List<Group> groups, boolean[] labelled, double[] gain,
                                     double[][] outOfFold, Options options) {
        double[] replace = new double[groups.size()];
        if (options.folds() < 2) {
            return replace;
        }
        for (int g = 0; g < groups.size(); g++) {
            String name = groups.get(g).name();
            int[] members = java.util.stream.IntStream.range(0, examples.size())
                    .filter(i -> !labelled[i] && !examples.get(i).heldOut() && examples.get(i).group().equals(name)).toArray();
            double best = Double.NEGATIVE_INFINITY;
            for (double r : REPLACE_GRID) {
                double[] tried = replace.clone();
                tried[g] = r;
                double[] scores = new double[members.length];
                double[] gains = new double[members.length];
                for (int k = 0; k < members.length; k++) {
                    scores[k] = Heads.raw(outOfFold[members[k]], tried);
                    gains[k] = gain[members[k]];
                }
                double apgr = Apgr.of(scores, gains).apgr();
                // Ties keep the smaller share: replace no more of the shared head than helps.
                if (apgr > best + 1e-9) {
                    best = apgr;
                    replace[g] = r;
                }
            }
        }
        return replace;
    }

    /** The shares of the shared head an expert may replace within its group; chosen by cross-validation. */
    static final double[] REPLACE_GRID = {0, 0.25, 0.5, 0.75, 1};

    private static String description(List<Example> examples, boolean[] labelled, Options options) {
        int count = 0;
        for (boolean l : labelled) {
            count += l ? 1 : 0;
        }
        return String.format(java.util.Locale.ROOT,
                "ridge labelled=%d gains=%d buckets=%d lambda=%s gate_lambda=%s expert_lambda=%s expert_weight=%s"
                        + " expert_min=%d slope=%s", count, examples.size() - count, options.buckets(), options.lambda(),
                options.gateLambda(), options.expertLambda(), options.expertWeight(), options.expertMin(), options.slope());
    }

    /** Assigns each prompt a fold: a seeded shuffle dealt round-robin, so folds differ in size by one at most. */
    private static int[] folds(int n, int folds, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int k = 0; k < n; k++) {
            fold[order[k]] = folds == 0 ? 0 : k % folds;
        }
        return fold;
    }

    private static boolean contains(boolean[] values, boolean value) {
        for (boolean v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
