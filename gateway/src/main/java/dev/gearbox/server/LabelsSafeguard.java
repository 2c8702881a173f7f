package dev.gearbox.server;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.WeightsFormat;
import dev.gearbox.routing.difficulty.training.Accuracy;
import dev.gearbox.routing.difficulty.training.Example;
import dev.gearbox.routing.difficulty.training.LabelData;
import dev.gearbox.routing.difficulty.training.Safeguard;
import dev.gearbox.routing.difficulty.training.ShippedEvaluation;
import dev.gearbox.routing.difficulty.training.Trainer;
import dev.gearbox.routing.difficulty.training.TrainingData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code train-router --labels} checks before it writes: the new weights against the current ones on the
 * labels, and against the shipped ones on the shipped evaluation ({@link Safeguard}), printed as a table.
 */
final class LabelsSafeguard {

    private LabelsSafeguard() {
    }

    /**
     * Prints how the new weights compare with the current ones on the labels and the shipped ones on the
     * shipped evaluation; false when they are worse and not forced.
     */
    static boolean check(TrainRouterCommand.Args args, List<List<Example>> sources, LabelData.Labels labels,
                         Trainer.Result result, PrintStream out, PrintStream err) throws IOException {
        if (args.options().folds() < 2) {
            if (args.force()) {
                out.println("--folds " + args.options().folds() + ": nothing cross-validated to compare; written as forced");
                return true;
            }
            err.println("gearbox train-router: --labels needs cross-validation (--folds 2 or more) to compare the weights"
                    + " with the current ones; --force writes them without");
            return false;
        }
        double[] oof = result.outOfFold();
        int labelsAt = oof.length - labels.examples().size();
        Accuracy trained = Safeguard.onLabels(labels.examples(), Arrays.copyOfRange(oof, labelsAt, oof.length));
        String currentName = args.current() != null ? args.current().toString()
                : Files.exists(args.out()) ? args.out().toString() : "built-in";
        DifficultyModel current = currentName.equals("built-in") ? DifficultyModel.shipped() : readWeights(Path.of(currentName));
        Accuracy before = scoreLabels(current, labels.examples());
        ShippedEvaluation evaluated = shippedEvaluation(args, sources, result);
        Safeguard safeguard = new Safeguard(before, trained, ShippedEvaluation.shipped(), evaluated);

        out.printf(Locale.ROOT, "labels: %d (%d of weight 0 skipped)%n", labels.examples().size(), labels.skipped());
        out.printf(Locale.ROOT, "%-44s %22s %22s%n", "", "needed reasoning > 0.5", "did not <= 0.5");
        if (before != null) {
            out.printf(Locale.ROOT, "%-44s %22s %22s%n", "  current weights (" + currentName + ")", share(before.reasoningAbove(),
                    before.reasoning()), share(before.cheapAtOrBelow(), before.cheap()));
        }
        out.printf(Locale.ROOT, "%-44s %22s %22s%n", "  new weights (cross-validated)", share(trained.reasoningAbove(),
                trained.reasoning()), share(trained.cheapAtOrBelow(), trained.cheap()));
        out.printf(Locale.ROOT, "%-44s %14s %14s%n", "shipped evaluation", "shipped (CV)", "new");
        ShippedEvaluation shipped = safeguard.shipped();
        out.printf(Locale.ROOT, "%-44s %14s %14s%n", "  written, needing reasoning, above 0.5", TrainRouterCommand.percent(shipped.written().reasoningAbove()),
                TrainRouterCommand.percent(evaluated.written().reasoningAbove()));
        out.printf(Locale.ROOT, "%-44s %14s %14s%n", "  written, not needing it, at/below 0.5", TrainRouterCommand.percent(shipped.written().cheapAtOrBelow()),
                TrainRouterCommand.percent(evaluated.written().cheapAtOrBelow()));
        shipped.apgr().forEach((group, apgr) -> out.printf(Locale.ROOT, "%-44s %14.3f %14.3f%n", "  " + group + " APGR", apgr,
                evaluated.apgr().getOrDefault(group, Double.NaN)));
        List<String> worse = safeguard.worse();
        if (worse.isEmpty()) {
            out.println("no worse than the current weights on the labels, nor than the shipped weights on the shipped"
                    + " evaluation (tolerance " + Safeguard.TOLERANCE + ")");
            return true;
        }
        (args.force() ? out : err).println((args.force() ? "worse, written as forced: " : "gearbox train-router: refused,"
                + " nothing written (--force writes them anyway): ") + String.join("; ", worse));
        return args.force();
    }

    /**
     * The new weights on the shipped evaluation: cross-validated when the corpus was among the data, else scored
     * on the corpus, which they never saw.
     */
    private static ShippedEvaluation shippedEvaluation(TrainRouterCommand.Args args, List<List<Example>> sources, Trainer.Result result)
            throws IOException {
        int at = 0;
        for (int k = 0; k < args.data().size(); k++) {
            if (args.data().get(k).toString().equals(TrainRouterCommand.SHIPPED)) {
                List<Example> corpus = sources.get(k);
                return ShippedEvaluation.of(corpus, Arrays.copyOfRange(result.outOfFold(), at, at + corpus.size()));
            }
            at += sources.get(k).size();
        }
        List<Example> corpus;
        try (BufferedReader in = TrainRouterCommand.open(Path.of(TrainRouterCommand.SHIPPED))) {
            corpus = TrainingData.read(TrainRouterCommand.SHIPPED, in);
        }
        double[] scores = new double[corpus.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = result.model().score(corpus.get(i).prompt());
        }
        return ShippedEvaluation.of(corpus, scores);
    }

    /** The current weights' accuracy on the labels; null when they cannot score them. */
    private static Accuracy scoreLabels(DifficultyModel model, List<Example> labels) {
        double[] scores = new double[labels.size()];
        try {
            for (int i = 0; i < scores.length; i++) {
                scores[i] = model.score(labels.get(i).prompt());
            }
        } catch (IllegalArgumentException otherBuckets) {
            return null;
        }
        return Safeguard.onLabels(labels, scores);
    }

    private static DifficultyModel readWeights(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return WeightsFormat.read(file.toString(), in);
        }
    }

    private static String share(double share, int of) {
        return of == 0 ? "-" : TrainRouterCommand.percent(share) + " of " + of;
    }
}
