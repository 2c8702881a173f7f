package dev.gearbox.server;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.WeightsFormat;
import dev.gearbox.routing.difficulty.WeightsException;
import dev.gearbox.routing.difficulty.training.Accuracy;
import dev.gearbox.routing.difficulty.training.Apgr;
import dev.gearbox.routing.difficulty.training.Example;
import dev.gearbox.routing.difficulty.training.Label;
import dev.gearbox.routing.difficulty.training.LabelData;
import dev.gearbox.routing.difficulty.training.Trainer;
import dev.gearbox.routing.difficulty.training.TrainingData;
import dev.gearbox.routing.difficulty.training.TrainingDataException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train-router --data FILE [--data FILE ...] [--labels FILE ...] --out FILE}: trains the reasoning-need
 * score ({@code --data shipped} is the corpus in the jar, on which the shipped weights were trained), prints its
 * cross-validated figures (accuracy of the labelled prompts at the midpoint, APGR of each group with gains
 * beside the prompt-length baseline), and writes the weights. A data file whose name ends in {@code .gz} is
 * read gunzipped. {@code --scores FILE} also writes the out-of-fold scores as {@code {"id", "score"}}
 * lines, the form {@code routing-eval/eval_router.py --router-scores} reads, so the figures can be checked
 * independently. {@code --folds 0} trains without cross-validation, and so without figures.
 *
 * <p>With {@code --labels} (the lines of {@code GET /admin/quality/labels}), with or without {@code --data}, the
 * weights are written only if they are no worse ({@link LabelsSafeguard}) than the current ones ({@code --current},
 * else the {@code --out} file when there is one, else the jar's) on the labels, and than the shipped weights on
 * the shipped evaluation; else it exits 3 and writes nothing, unless {@code --force}.
 */
final class TrainRouterCommand {

    private static final String USAGE = "Usage: java -jar gearbox.jar train-router [--data FILE ...] [--labels FILE ...]"
            + " --out FILE [--current FILE] [--force] [--seed N] [--folds K] [--lambda X] [--gate-lambda X]"
            + " [--expert-lambda X] [--expert-weight X] [--expert-min N] [--buckets N] [--slope X] [--scores FILE]";

    /** The {@code --data} value that names the corpus in the jar, on which the shipped weights were trained. */
    static final String SHIPPED = "shipped";

    /** The exit status of a run whose weights were worse than the current ones, and not written. */
    static final int REFUSED = 3;

    private static final String HELP = """

            Trains the reasoning-need score from labelled prompts ({"prompt" or "messages", "label": reasoning or
            cheap, or "target" from 0 to 1, and optionally "weight" and "group"}) and prompts with a strong model's
            measured gain (routing-eval lines, or {..., "gain"} or {..., "weak_score", "strong_score"}), and
            writes the weights the gateway reads: drop them into the rules directory as difficulty-weights.txt.
            --data shipped is the corpus the shipped weights were trained on; a file ending in .gz is read
            gunzipped. Prints the cross-validated accuracy of each labelled group and the APGR of each group with
            gains beside the prompt-length baseline; --folds 0 trains without them. --scores FILE also writes the
            out-of-fold scores as {"id", "score"} lines.

            --labels FILE (the lines of GET /admin/quality/labels) trains on a gateway's own verdicts and
            feedback too, or alone without --data. The weights are then written only if, cross-validated, they
            are no worse on the labels than the current weights (--current FILE, else the --out file if it
            exists, else the built-in ones), nor on the shipped evaluation (the written prompts' accuracy and
            routing-eval's APGR) than the shipped weights, by more than 0.005; else nothing is written and the
            exit status is 3. --force writes them anyway.
            """;

    private TrainRouterCommand() {
    }

    /** What the command line asked for. */
    record Args(List<Path> data, List<Path> labels, Path out, Path scores, Path current, boolean force,
                        Trainer.Options options) {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("gearbox train-router: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (args == null) {
            out.println(USAGE);
            out.print(HELP);
            return 0;
        }
        long start = System.nanoTime();
        List<List<Example>> sources = new ArrayList<>();
        LabelData.Labels labels;
        try {
            for (Path file : args.data()) {
                try (BufferedReader in = open(file)) {
                    sources.add(TrainingData.read(file.toString(), in));
                }
            }
            labels = readLabels(args.labels());
        } catch (TrainingDataException | UncheckedIOException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        }
        if (labels != null) {
            sources.add(labels.examples());
        }
        Trainer.Result result;
        try {
            result = Trainer.trainSources(sources, args.options());
        } catch (IllegalArgumentException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        }
        List<Example> examples = sources.stream().flatMap(List::stream).toList();
        out.printf(Locale.ROOT, "trained on %d prompts in %.1f s (%s)%n", examples.size(),
                (System.nanoTime() - start) / 1e9, result.model().description());
        report(result, examples, out);
        if (labels != null) {
            try {
                if (!LabelsSafeguard.check(args, sources, labels, result, out, err)) {
                    return REFUSED;
                }
            } catch (IOException | UncheckedIOException | WeightsException e) {
                err.println("gearbox train-router: " + e.getMessage());
                return 1;
            }
        }
        try {
            write(args, result, examples);
        } catch (IOException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        }
        out.println("weights written to " + args.out() + " (" + size(args.out()) + " bytes)");
        return 0;
    }

    private static LabelData.Labels readLabels(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return null;
        }
        List<Example> examples = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            try (BufferedReader in = open(file)) {
                LabelData.Labels read = LabelData.read(file.toString(), in);
                examples.addAll(read.examples());
                skipped += read.skipped();
            }
        }
        return new LabelData.Labels(examples, skipped);
    }

    private static void report(Trainer.Result result, List<Example> examples, PrintStream out) {
        if (!result.accuracy().isEmpty()) {
            out.printf(Locale.ROOT, "%-24s %9s %12s %9s %14s%n", "labelled group", "reasoning", "above 0.5", "cheap",
                    "at/below 0.5");
            for (Map.Entry<String, Accuracy> e : result.accuracy().entrySet()) {
                Accuracy a = e.getValue();
                out.printf(Locale.ROOT, "%-24s %9d %12s %9d %14s%n", e.getKey(), a.reasoning(), percent(a.reasoningAbove()),
                        a.cheap(), percent(a.cheapAtOrBelow()));
            }
        }
        if (!result.ranking().isEmpty()) {
            out.printf(Locale.ROOT, "%-24s %8s %10s %9s %9s %12s%n", "group with gains", "prompts", "APGR (CV)",
                    "CPT(50%)", "CPT(80%)", "length APGR");
            for (Map.Entry<String, Apgr> e : result.ranking().entrySet()) {
                Apgr a = e.getValue();
                long count = examples.stream().filter(x -> x.group().equals(e.getKey()) && !x.heldOut()
                        && x.label() instanceof Label.Gain).count();
                out.printf(Locale.ROOT, "%-24s %8d %10.3f %8.1f%% %8.1f%% %12.3f%n", e.getKey(), count, a.apgr(),
                        a.cpt50() * 100, a.cpt80() * 100, result.lengthBaseline().get(e.getKey()).apgr());
            }
        }
    }

    private static void write(Args args, Trainer.Result result, List<Example> examples) throws IOException {
        Path parent = args.out().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Written beside and moved into place, so a gateway watching the rules directory never reads half a file.
        Path partial = args.out().resolveSibling(args.out().getFileName() + ".partial");
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            WeightsFormat.write(result.model(), w);
        }
        Files.move(partial, args.out(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (args.scores() != null && result.outOfFold().length > 0) {
            try (Writer w = Files.newBufferedWriter(args.scores(), StandardCharsets.UTF_8)) {
                for (int i = 0; i < examples.size(); i++) {
                    w.write(new JsonObject().put("id", examples.get(i).id()).put("score", result.outOfFold()[i]).encode());
                    w.write('\n');
                }
            }
        }
    }

    /** The arguments, or null when help was asked for. */
    private static Args parse(String[] args) {
        Trainer.Options d = Trainer.Options.defaults();
        List<Path> data = new ArrayList<>();
        List<Path> labels = new ArrayList<>();
        Path weights = null;
        Path scores = null;
        Path current = null;
        boolean force = false;
        long seed = d.seed();
        double lambda = d.lambda();
        double gateLambda = d.gateLambda();
        double expertLambda = d.expertLambda();
        double expertWeight = d.expertWeight();
        double slope = d.slope();
        int folds = d.folds();
        int buckets = d.buckets();
        int expertMin = d.expertMin();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--data" -> data.add(Path.of(value(args, ++i)));
                case "--labels" -> labels.add(Path.of(value(args, ++i)));
                case "--out" -> weights = Path.of(value(args, ++i));
                case "--scores" -> scores = Path.of(value(args, ++i));
                case "--current" -> current = Path.of(value(args, ++i));
                case "--force" -> force = true;
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--lambda" -> lambda = Double.parseDouble(value(args, ++i));
                case "--gate-lambda" -> gateLambda = Double.parseDouble(value(args, ++i));
                case "--expert-lambda" -> expertLambda = Double.parseDouble(value(args, ++i));
                case "--expert-weight" -> expertWeight = Double.parseDouble(value(args, ++i));
                case "--slope" -> slope = Double.parseDouble(value(args, ++i));
                case "--folds" -> folds = Integer.parseInt(value(args, ++i));
                case "--buckets" -> buckets = Integer.parseInt(value(args, ++i));
                case "--expert-min" -> expertMin = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if ((data.isEmpty() && labels.isEmpty()) || weights == null) {
            throw new IllegalArgumentException("--data or --labels, and --out, are required");
        }
        return new Args(data, labels, weights, scores, current, force,
                new Trainer.Options(buckets, lambda, gateLambda, expertLambda, expertWeight, expertMin, folds, seed, slope));
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** The data file, gunzipped on the way when its name ends in {@code .gz}; {@code shipped} is the jar's corpus. */
    static BufferedReader open(Path data) throws IOException {
        java.io.InputStream in = data.toString().equals(SHIPPED) ? TrainRouterCommand.class.getResourceAsStream(DifficultyModel.CORPUS)
                : Files.newInputStream(data);
        if (in == null) {
            throw new IOException("the jar has no " + DifficultyModel.CORPUS);
        }
        if (data.toString().equals(SHIPPED) || data.toString().endsWith(".gz")) {
            in = new java.util.zip.GZIPInputStream(in);
        }
        return new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
