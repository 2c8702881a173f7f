package dev.gearbox.bench.embedding;

import dev.gearbox.routing.difficulty.training.Apgr;
import dev.gearbox.routing.difficulty.training.Example;
import dev.gearbox.routing.difficulty.training.Trainer;
import dev.gearbox.routing.difficulty.training.TrainingData;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Issue #16 item 5: does a scorer on MiniLM sentence embeddings beat the linear difficulty score? Same
 * prompts, groups and gains as {@code train-router} (read by the gateway's {@link TrainingData}), same
 * target scaling and group balance, same five folds (seed 16), APGR by the gateway's {@link Apgr}.
 * Every setting (ridge λ, kNN k, blend weight) is chosen inside the training folds only, so the reported
 * figures are cross-validated, not tuned on the prompts they score.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.gearbox.bench.EmbeddingRouterExperiment \
 *     --data ../shared/routing-eval/dev.jsonl [--cache bench/target/minilm-q.emb] [--out bench/target/embedding]
 * java -cp bench/target/benchmarks.jar dev.gearbox.bench.EmbeddingRouterExperiment --load-probe
 * </pre>
 */
public final class EmbeddingRouterExperiment {

    // The grid went up to 100 at first; MT-Bench kept asking for more, so it goes to 1,000.
    private static final double[] LAMBDAS = {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};
    private static final int[] KS = {10, 20, 30, 50};
    private static final int MAX_K = 50;
    private static final int WEIGHT_STEPS = 10;

    private EmbeddingRouterExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path data = null;
        Path cache = Path.of("bench/target/minilm-q.emb");
        Path out = Path.of("bench/target/embedding");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--load-probe" -> {
                    loadProbe();
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data FILE is required");
        }
        List<Example> examples;
        try (BufferedReader in = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            examples = TrainingData.read(data.toString(), in);
        }
        int n = examples.size();
        float[][] x = embeddings(examples, cache);

        Trainer.Options options = Trainer.Options.defaults();
        long start = System.nanoTime();
        Trainer.Result linear = Trainer.train(examples, options);
        System.out.printf(Locale.ROOT, "linear score trained (5-fold) in %.1f s%n", (System.nanoTime() - start) / 1e9);

        double[] y = new double[n];
        double[] s = new double[n];
        targets(examples, options.balance(), y, s);
        int[] fold = folds(n, options.folds(), options.seed());
        int k = options.folds();

        Map<String, double[]> scores = new LinkedHashMap<>();
        scores.put("length baseline (chars, as train-router)", lengths(examples));
        scores.put("linear score (shipped, CV)", linear.outOfFold());

        // Ridge at each fixed λ, for the record: which λ the outer CV itself would like.
        Gram[] grams = new Gram[k];
        for (int f = 0; f < k; f++) {
            grams[f] = Gram.of(x, y, s, fold, f);
        }
        System.out.println("\nembedding ridge at a fixed λ (plain 5-fold, for reference only; not a reported result):");
        for (double lambda : LAMBDAS) {
            double[] p = ridgeOutOfFold(x, fold, k, grams, lambda, -1);
            System.out.printf(Locale.ROOT, "  λ=%-6s %s%n", lambda, line(perGroup(examples, p, null)));
        }

        // Nested: for each outer fold, λ is the one whose inner CV over the other folds scores best.
        double[] ridge = new double[n];
        double[] chosenLambda = new double[k];
        for (int f = 0; f < k; f++) {
            boolean[] train = notIn(fold, f);
            double best = Double.NEGATIVE_INFINITY;
            for (double lambda : LAMBDAS) {
                double[] inner = ridgeOutOfFold(x, fold, k, grams, lambda, f);
                double m = meanApgr(perGroup(examples, inner, train));
                if (m > best) {
                    best = m;
                    chosenLambda[f] = lambda;
                }
            }
            double[] w = grams(grams, f, -1).solve(chosenLambda[f]);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    ridge[i] = dot(w, x[i]);
                }
            }
        }
        System.out.println("ridge λ chosen per outer fold by inner CV: " + Arrays.toString(chosenLambda));
        scores.put("embedding ridge (λ by nested CV)", ridge);

        // kNN mean scaled gain of the k most cosine-similar training prompts; k by inner CV.
        start = System.nanoTime();
        int[][][] neighbours = neighbours(x, fold, k);
        System.out.printf(Locale.ROOT, "neighbours found in %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println("embedding kNN at a fixed k (plain 5-fold, for reference only; not a reported result):");
        for (int kk : KS) {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = knnMean(neighbours[i][fold[i]], y, kk);
            }
            System.out.printf(Locale.ROOT, "  k=%-4d %s%n", kk, line(perGroup(examples, p, null)));
        }
        double[] knn = new double[n];
        int[] chosenK = new int[k];
        for (int f = 0; f < k; f++) {
            boolean[] train = notIn(fold, f);
            double best = Double.NEGATIVE_INFINITY;
            for (int kk : KS) {
                double[] inner = new double[n];
                for (int i = 0; i < n; i++) {
                    if (train[i]) {
                        inner[i] = knnMean(neighbours[i][f], y, kk);
                    }
                }
                double m = meanApgr(perGroup(examples, inner, train));
                if (m > best) {
                    best = m;
                    chosenK[f] = kk;
                }
            }
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    knn[i] = knnMean(neighbours[i][f], y, chosenK[f]);
                }
            }
        }
        System.out.println("kNN k chosen per outer fold by inner CV: " + Arrays.toString(chosenK));
        scores.put("embedding kNN (k by nested CV)", knn);

        // Blends of ranks. The weight is chosen per outer fold on the other folds' out-of-fold scores; those
        // scores come from models that saw the outer fold's prompts, a leak of one scalar's worth, noted in the README.
        double[] linearRank = ranks(linear.outOfFold());
        System.out.println("rank blends at a fixed weight of the embedding score (for reference only; not a reported result):");
        for (double w : new double[] {0.1, 0.2, 0.3, 0.5}) {
            System.out.printf(Locale.ROOT, "  w=%.1f  + ridge: %s   + kNN: %s%n", w,
                    line(perGroup(examples, mix(linearRank, ranks(ridge), w), null)),
                    line(perGroup(examples, mix(linearRank, ranks(knn), w), null)));
        }
        double[] chosenWeight = new double[k];
        scores.put("blend linear + ridge (weight by CV)", blend(examples, fold, k, linearRank, ranks(ridge), chosenWeight));
        System.out.println("ridge's weight in the blend per outer fold: " + Arrays.toString(chosenWeight));
        double[] chosenKnnWeight = new double[k];
        scores.put("blend linear + kNN (weight by CV)", blend(examples, fold, k, linearRank, ranks(knn), chosenKnnWeight));
        System.out.println("kNN's weight in the blend per outer fold: " + Arrays.toString(chosenKnnWeight));

        System.out.printf(Locale.ROOT, "%n%-38s %s%n", "5-fold CV APGR (seed 16)", "mmlu / gsm8k / mt_bench");
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            System.out.printf(Locale.ROOT, "%-38s %s%n", e.getKey(), line(perGroup(examples, e.getValue(), null)));
        }
        Files.createDirectories(out);
        write(out.resolve("ridge-scores.jsonl"), examples, ridge);
        write(out.resolve("knn-scores.jsonl"), examples, knn);
        write(out.resolve("blend-scores.jsonl"), examples, scores.get("blend linear + ridge (weight by CV)"));
        write(out.resolve("linear-scores.jsonl"), examples, linear.outOfFold());
        System.out.println("out-of-fold scores for eval_router.py --router-scores written to " + out);
    }

    /**
     * What taking the model on costs a process: load time and resident memory, before and after the load
     * and after 200 embeddings of the benchmark's 500-token prompt (ONNX Runtime's arena grows on first use).
     */
    private static void loadProbe() {
        long before = rssKb();
        long start = System.nanoTime();
        MiniLm model = new MiniLm(1);
        double load = (System.nanoTime() - start) / 1e6;
        long loaded = rssKb();
        start = System.nanoTime();
        model.vector(dev.gearbox.bench.DifficultyBenchmark.PROMPT);
        double first = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < 199; i++) {
            model.vector(dev.gearbox.bench.DifficultyBenchmark.PROMPT);
        }
        System.out.printf(Locale.ROOT, "model load %.0f ms, first 500-token embedding %.0f ms; VmRSS %d MB before, "
                + "%d MB loaded, %d MB after 200 embeddings; heap used %d MB%n", load, first, before / 1024,
                loaded / 1024, rssKb() / 1024,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    /** Embeddings of every prompt's text, from the cache when it holds exactly these texts. */
    private static float[][] embeddings(List<Example> examples, Path cache) throws IOException {
        long fingerprint = 17;
        for (Example e : examples) {
            fingerprint = fingerprint * 31 + e.text().hashCode();
        }
        int n = examples.size();
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache)))) {
                if (in.readInt() == n && in.readInt() == MiniLm.DIMENSION && in.readLong() == fingerprint) {
                    float[][] x = new float[n][MiniLm.DIMENSION];
                    for (float[] row : x) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] = in.readFloat();
                        }
                    }
                    System.out.println("embeddings read from " + cache);
                    return x;
                }
            }
            System.out.println(cache + " holds other prompts; embedding again");
        }
        long rssBefore = rssKb();
        long start = System.nanoTime();
        MiniLm model = new MiniLm(1);
        double load = (System.nanoTime() - start) / 1e6;
        model.vector("warm up");
        System.out.printf(Locale.ROOT, "model loaded in %.0f ms (first embedding included: %.0f ms); RSS %d -> %d MB%n",
                load, (System.nanoTime() - start) / 1e6, rssBefore / 1024, rssKb() / 1024);
        float[][] x = new float[n][];
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            x[i] = model.vector(examples.get(i).text());
            if ((i + 1) % 1000 == 0) {
                System.out.printf(Locale.ROOT, "  %d embedded, %.1f ms each%n", i + 1, (System.nanoTime() - start) / 1e6 / (i + 1));
            }
        }
        System.out.printf(Locale.ROOT, "%d prompts embedded in %.1f s on one thread; RSS %d MB%n", n,
                (System.nanoTime() - start) / 1e9, rssKb() / 1024);
        Files.createDirectories(cache.toAbsolutePath().getParent());
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(cache)))) {
            o.writeInt(n);
            o.writeInt(MiniLm.DIMENSION);
            o.writeLong(fingerprint);
            for (float[] row : x) {
                for (float v : row) {
                    o.writeFloat(v);
                }
            }
        }
        return x;
    }

    /** Trainer's target and weights: gain over the group's largest |gain|; group weight (share)^-balance. */
    private static void targets(List<Example> examples, double balance, double[] y, double[] s) {
        int n = examples.size();
        Map<String, Double> scale = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Example e : examples) {
            scale.merge(e.group(), Math.abs(e.gain()), Math::max);
            sizes.merge(e.group(), 1, Integer::sum);
        }
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            double groupScale = scale.get(e.group());
            y[i] = groupScale == 0 ? 0 : e.gain() / groupScale;
            s[i] = StrictMath.pow((double) n / (sizes.size() * sizes.get(e.group())), balance);
        }
    }

    /** A copy of Trainer's private fold assignment (seeded shuffle dealt round-robin), so the folds are its folds. */
    static int[] folds(int n, int folds, long seed) {
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
            fold[order[k]] = k % folds;
        }
        return fold;
    }

    /**
     * Ridge predictions for the prompts of every fold but {@code outer}, each from a fit on the folds that
     * are neither its own nor {@code outer} (-1: plain k-fold over all prompts).
     */
    private static double[] ridgeOutOfFold(float[][] x, int[] fold, int k, Gram[] grams, double lambda, int outer) {
        double[] p = new double[x.length];
        for (int g = 0; g < k; g++) {
            if (g == outer) {
                continue;
            }
            double[] w = grams(grams, g, outer).solve(lambda);
            for (int i = 0; i < x.length; i++) {
                if (fold[i] == g) {
                    p[i] = dot(w, x[i]);
                }
            }
        }
        return p;
    }

    private static Gram grams(Gram[] grams, int skip, int skipToo) {
        Gram sum = Gram.empty();
        for (int f = 0; f < grams.length; f++) {
            if (f != skip && f != skipToo) {
                sum.add(grams[f]);
            }
        }
        return sum;
    }

    /** Weighted normal equations of one fold, over the embedding and an unpenalized intercept. */
    private record Gram(double[][] a, double[] b) {
        static final int D = MiniLm.DIMENSION + 1;

        static Gram empty() {
            return new Gram(new double[D][D], new double[D]);
        }

        static Gram of(float[][] x, double[] y, double[] s, int[] fold, int f) {
            Gram g = empty();
            double[] row = new double[D];
            for (int i = 0; i < x.length; i++) {
                if (fold[i] != f) {
                    continue;
                }
                for (int j = 0; j < MiniLm.DIMENSION; j++) {
                    row[j] = x[i][j];
                }
                row[D - 1] = 1;
                for (int r = 0; r < D; r++) {
                    double sr = s[i] * row[r];
                    g.b[r] += sr * y[i];
                    double[] ar = g.a[r];
                    for (int c = 0; c <= r; c++) {
                        ar[c] += sr * row[c];
                    }
                }
            }
            return g;
        }

        void add(Gram other) {
            for (int r = 0; r < D; r++) {
                b[r] += other.b[r];
                for (int c = 0; c <= r; c++) {
                    a[r][c] += other.a[r][c];
                }
            }
        }

        /** Cholesky on the lower triangle of A + λI (intercept unpenalized). */
        double[] solve(double lambda) {
            double[][] l = new double[D][D];
            for (int r = 0; r < D; r++) {
                for (int c = 0; c <= r; c++) {
                    double sum = a[r][c] + (r == c && r < D - 1 ? lambda : 0);
                    for (int m = 0; m < c; m++) {
                        sum -= l[r][m] * l[c][m];
                    }
                    l[r][c] = r == c ? Math.sqrt(sum) : sum / l[c][c];
                }
            }
            double[] z = new double[D];
            for (int r = 0; r < D; r++) {
                double sum = b[r];
                for (int m = 0; m < r; m++) {
                    sum -= l[r][m] * z[m];
                }
                z[r] = sum / l[r][r];
            }
            double[] w = new double[D];
            for (int r = D - 1; r >= 0; r--) {
                double sum = z[r];
                for (int m = r + 1; m < D; m++) {
                    sum -= l[m][r] * w[m];
                }
                w[r] = sum / l[r][r];
            }
            return w;
        }
    }

    private static double dot(double[] w, float[] x) {
        double sum = w[w.length - 1];
        for (int j = 0; j < x.length; j++) {
            sum += w[j] * x[j];
        }
        return sum;
    }

    /**
     * For each prompt i and each fold e, the {@value MAX_K} most similar prompts (best first) outside i's fold
     * and outside e; e = i's own fold gives the plain out-of-fold neighbours.
     */
    private static int[][][] neighbours(float[][] x, int[] fold, int k) {
        int n = x.length;
        int[][][] out = new int[n][k][];
        double[] sim = new double[n];
        for (int i = 0; i < n; i++) {
            float[] xi = x[i];
            for (int j = 0; j < n; j++) {
                float[] xj = x[j];
                double sum = 0;
                for (int d = 0; d < xi.length; d++) {
                    sum += xi[d] * xj[d];
                }
                sim[j] = sum;
            }
            for (int e = 0; e < k; e++) {
                PriorityQueue<Integer> top = new PriorityQueue<>(MAX_K + 1,
                        (p, q) -> sim[p] != sim[q] ? Double.compare(sim[p], sim[q]) : Integer.compare(q, p));
                for (int j = 0; j < n; j++) {
                    if (fold[j] == fold[i] || fold[j] == e) {
                        continue;
                    }
                    if (top.size() < MAX_K) {
                        top.add(j);
                    } else if (sim[j] > sim[top.peek()]) {
                        top.poll();
                        top.add(j);
                    }
                }
                int[] best = new int[top.size()];
                for (int m = best.length - 1; m >= 0; m--) {
                    best[m] = top.poll();
                }
                out[i][e] = best;
            }
        }
        return out;
    }

    private static double knnMean(int[] neighbours, double[] y, int k) {
        int m = Math.min(k, neighbours.length);
        double sum = 0;
        for (int j = 0; j < m; j++) {
            sum += y[neighbours[j]];
        }
        return m == 0 ? 0 : sum / m;
    }

    /**
     * (1 - w) · linear rank + w · other rank, w on a grid, chosen per outer fold by the mean APGR of the
     * other folds' scores.
     */
    private static double[] blend(List<Example> examples, int[] fold, int k, double[] linear, double[] other, double[] chosen) {
        double[] out = new double[linear.length];
        for (int f = 0; f < k; f++) {
            boolean[] train = notIn(fold, f);
            double best = Double.NEGATIVE_INFINITY;
            for (int step = 0; step <= WEIGHT_STEPS; step++) {
                double w = (double) step / WEIGHT_STEPS;
                double m = meanApgr(perGroup(examples, mix(linear, other, w), train));
                if (m > best) {
                    best = m;
                    chosen[f] = w;
                }
            }
            double[] mixed = mix(linear, other, chosen[f]);
            for (int i = 0; i < out.length; i++) {
                if (fold[i] == f) {
                    out[i] = mixed[i];
                }
            }
        }
        return out;
    }

    private static double[] mix(double[] a, double[] b, double w) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (1 - w) * a[i] + w * b[i];
        }
        return out;
    }

    /** Ranks in [0, 1], ties sharing their mean rank, so two scores on different scales average fairly. */
    private static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
        double[] out = new double[n];
        for (int a = 0; a < n; ) {
            int b = a;
            while (b + 1 < n && v[order[b + 1]] == v[order[a]]) {
                b++;
            }
            for (int c = a; c <= b; c++) {
                out[order[c]] = (a + b) / 2.0 / (n - 1);
            }
            a = b + 1;
        }
        return out;
    }

    private static boolean[] notIn(int[] fold, int f) {
        boolean[] out = new boolean[fold.length];
        for (int i = 0; i < fold.length; i++) {
            out[i] = fold[i] != f;
        }
        return out;
    }

    private static double[] lengths(List<Example> examples) {
        return examples.stream().mapToDouble(e -> e.text().length()).toArray();
    }

    /** APGR per group as Trainer reports it (held-out prompts left out), over the prompts in {@code only} (null: all). */
    private static Map<String, Apgr> perGroup(List<Example> examples, double[] scores, boolean[] only) {
        Map<String, Apgr> out = new LinkedHashMap<>();
        for (String group : examples.stream().map(Example::group).distinct().sorted().toList()) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                if (e.group().equals(group) && !e.heldOut() && (only == null || only[i])) {
                    members.add(i);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            double[] sc = new double[members.size()];
            double[] gains = new double[members.size()];
            for (int m = 0; m < sc.length; m++) {
                sc[m] = scores[members.get(m)];
                gains[m] = examples.get(members.get(m)).gain();
            }
            out.put(group, Apgr.of(sc, gains));
        }
        return out;
    }

    /** The selection criterion: the groups' mean APGR, so a small group counts as much as MMLU. */
    private static double meanApgr(Map<String, Apgr> apgr) {
        return apgr.values().stream().mapToDouble(Apgr::apgr).filter(Double::isFinite).average().orElse(0);
    }

    private static String line(Map<String, Apgr> apgr) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Apgr> e : apgr.entrySet()) {
            out.append(String.format(Locale.ROOT, "%s %.3f  ", e.getKey(), e.getValue().apgr()));
        }
        return out.toString().trim();
    }

    private static void write(Path file, List<Example> examples, double[] scores) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < examples.size(); i++) {
                w.write(new JsonObject().put("id", examples.get(i).id()).put("score", scores[i]).encode());
                w.write('\n');
            }
        }
    }

    private static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
