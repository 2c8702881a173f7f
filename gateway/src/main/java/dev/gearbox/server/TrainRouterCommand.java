package dev.gearbox.server;

import dev.gearbox.routing.difficulty.WeightsFormat;
import dev.gearbox.routing.difficulty.training.Apgr;
import dev.gearbox.routing.difficulty.training.Example;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train-router --data FILE --out FILE [--seed N]}: trains the difficulty score, prints its
 * cross-validated APGR per benchmark beside the prompt-length baseline, and writes the weights. A data
 * file whose name ends in {@code .gz} is read gunzipped.
 * {@code --scores FILE} also writes the out-of-fold scores as {@code {"id", "score"}} lines, the form
 * {@code routing-eval/eval_router.py --router-scores} reads, so the figures can be checked independently.
 */
final class TrainRouterCommand {

    private static final String USAGE = "Usage: java -jar gearbox.jar train-router --data FILE --out FILE [--seed N]"
            + " [--lambda X] [--balance X] [--smoothing X] [--folds K] [--buckets N] [--expert-min N] [--scores FILE]";

    private static final String HELP = """

            Trains the difficulty score from prompts with the strong model's gain over the weak one
            (routing-eval lines, or {"prompt" or "messages", "gain"} or {..., "weak_score", "strong_score"}; a
            file ending in .gz is read gunzipped), prints the cross-validated APGR per benchmark beside the
            prompt-length baseline, and writes the weights the gateway reads. --scores FILE also writes the
            out-of-fold scores as {"id", "score"} lines.
            """;

    private TrainRouterCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Trainer.Options defaults = Trainer.Options.defaults();
        Path data = null;
        Path weights = null;
        Path scores = null;
        Trainer.Options options;
        try {
            long seed = defaults.seed();
            double lambda = defaults.lambda();
            double balance = defaults.balance();
            double smoothing = defaults.smoothing();
            int folds = defaults.folds();
            int buckets = defaults.buckets();
            int expertMin = defaults.expertMin();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        out.print(HELP);
                        return 0;
                    }
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--out" -> weights = Path.of(value(args, ++i));
                    case "--scores" -> scores = Path.of(value(args, ++i));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "--lambda" -> lambda = Double.parseDouble(value(args, ++i));
                    case "--balance" -> balance = Double.parseDouble(value(args, ++i));
                    case "--smoothing" -> smoothing = Double.parseDouble(value(args, ++i));
                    case "--folds" -> folds = Integer.parseInt(value(args, ++i));
                    case "--buckets" -> buckets = Integer.parseInt(value(args, ++i));
                    case "--expert-min" -> expertMin = Integer.parseInt(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (data == null || weights == null) {
                throw new IllegalArgumentException("--data and --out are required");
            }
            options = new Trainer.Options(buckets, lambda, balance, smoothing, folds, seed, expertMin);
        } catch (IllegalArgumentException e) {
            err.println("gearbox train-router: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        long start = System.nanoTime();
        List<Example> examples;
        try (BufferedReader in = open(data)) {
            examples = TrainingData.read(data.toString(), in);
        } catch (TrainingDataException | UncheckedIOException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("gearbox train-router: " + data + ": " + e.getMessage());
            return 1;
        }
        Trainer.Result result = Trainer.train(examples, options);
        try {
            Path parent = weights.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(weights, StandardCharsets.UTF_8)) {
                WeightsFormat.write(result.model(), w);
            }
            if (scores != null) {
                try (Writer w = Files.newBufferedWriter(scores, StandardCharsets.UTF_8)) {
                    for (int i = 0; i < examples.size(); i++) {
                        w.write(new JsonObject().put("id", examples.get(i).id()).put("score", result.outOfFold()[i]).encode());
                        w.write('\n');
                    }
                }
            }
        } catch (IOException e) {
            err.println("gearbox train-router: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "trained on %d prompts of %s in %.1f s (%s)%n", examples.size(), data,
                (System.nanoTime() - start) / 1e9, result.model().description());
        out.printf(Locale.ROOT, "%-12s %8s %10s %9s %9s %12s%n", "benchmark", "prompts", "APGR (CV)", "CPT(50%)",
                "CPT(80%)", "length APGR");
        for (Map.Entry<String, Apgr> e : result.crossValidated().entrySet()) {
            Apgr a = e.getValue();
            long count = examples.stream().filter(x -> x.group().equals(e.getKey()) && !x.heldOut()).count();
            out.printf(Locale.ROOT, "%-12s %8d %10.3f %8.1f%% %8.1f%% %12.3f%n", e.getKey(), count, a.apgr(),
                    a.cpt50() * 100, a.cpt80() * 100, result.lengthBaseline().get(e.getKey()).apgr());
        }
        out.println("weights written to " + weights + " (" + size(weights) + " bytes)");
        return 0;
    }

    /** The data file, gunzipped on the way when its name ends in {@code .gz}. */
    private static BufferedReader open(Path data) throws IOException {
        if (!data.toString().endsWith(".gz")) {
            return Files.newBufferedReader(data, StandardCharsets.UTF_8);
        }
        return new BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(data)), StandardCharsets.UTF_8));
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
