package dev.gearbox.routing.difficulty.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How weights fare on the evaluation the shipped corpus holds: the accuracy at 0.5 of the prompts written for
 * this project (group {@value #WRITTEN}), and the APGR of each group with measured gains (routing-eval's dev
 * prompts: MMLU, GSM8K, MT-Bench), contaminated prompts left out as everywhere.
 *
 * @param written the written group's accuracy
 * @param apgr each group with gains, by name
 */
public record ShippedEvaluation(Accuracy written, Map<String, Double> apgr) {

    /** The corpus's group of prompts written and labelled for this project. */
    public static final String WRITTEN = "written";

    /** The shipped weights' own cross-validated figures, which {@code TrainerTest} recomputes. */
    static final String RESOURCE = "/dev/gearbox/routing/difficulty/shipped-evaluation.txt";

    public ShippedEvaluation {
        apgr = java.util.Collections.unmodifiableMap(new TreeMap<>(apgr));
    }

    /** The figures of {@code scores}, one per corpus prompt in its order. */
    public static ShippedEvaluation of(List<Example> corpus, double[] scores) {
        if (scores.length != corpus.size()) {
            throw new IllegalArgumentException("scores: " + scores.length + " (expected: one per prompt, " + corpus.size() + ")");
        }
        int n = corpus.size();
        double[] need = new double[n];
        double[] gain = new double[n];
        boolean[] labelled = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (corpus.get(i).label() instanceof Label.Need x) {
                need[i] = x.target();
                labelled[i] = true;
            } else if (corpus.get(i).label() instanceof Label.Gain x) {
                gain[i] = x.gain();
            }
        }
        Accuracy written = Reports.accuracy(corpus, scores, need, labelled).get(WRITTEN);
        if (written == null) {
            throw new IllegalArgumentException("the corpus has no prompts of group '" + WRITTEN + "'");
        }
        Map<String, Double> apgr = new TreeMap<>();
        Reports.ranking(corpus, scores, gain, labelled).forEach((group, a) -> apgr.put(group, a.apgr()));
        return new ShippedEvaluation(written, apgr);
    }

    /** The shipped weights' cross-validated figures ({@code train-router --data shipped} with the defaults). */
    public static ShippedEvaluation shipped() {
        try (InputStream in = ShippedEvaluation.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is worse here than in {@code before} by more than {@code tolerance}, one line each ({@code mmlu APGR
     * 0.655 < 0.663}); empty when nothing is.
     */
    public List<String> worseThan(ShippedEvaluation before, double tolerance) {
        List<String> out = new ArrayList<>();
        worse(out, "written prompts that need reasoning scored above 0.5", written.reasoningAbove(),
                before.written.reasoningAbove(), tolerance, true);
        worse(out, "written prompts that do not scored at or below 0.5", written.cheapAtOrBelow(),
                before.written.cheapAtOrBelow(), tolerance, true);
        before.apgr.forEach((group, was) -> worse(out, group + " APGR", apgr.getOrDefault(group, Double.NaN), was,
                tolerance, false));
        return out;
    }

    private static void worse(List<String> out, String what, double now, double was, double tolerance, boolean share) {
        if (Double.isNaN(was)) {
            return;
        }
        if (Double.isNaN(now) || now < was - tolerance) {
            out.add(what + " " + (share ? Reports.percent(now) : number(now)) + " < " + (share ? Reports.percent(was)
                    : number(was)));
        }
    }

    /** The text form of the resource: one figure a line, six decimals. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "written reasoning %.6f%n", written.reasoningAbove()));
        out.append(String.format(Locale.ROOT, "written cheap %.6f%n", written.cheapAtOrBelow()));
        apgr.forEach((group, value) -> out.append(String.format(Locale.ROOT, "apgr %s %.6f%n", group, value)));
        return out.toString();
    }

    static ShippedEvaluation parse(BufferedReader in) throws IOException {
        double reasoning = Double.NaN;
        double cheap = Double.NaN;
        Map<String, Double> apgr = new TreeMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals(WRITTEN) && f[1].equals("reasoning")) {
                reasoning = Double.parseDouble(f[2]);
            } else if (f.length == 3 && f[0].equals(WRITTEN) && f[1].equals("cheap")) {
                cheap = Double.parseDouble(f[2]);
            } else if (f.length == 3 && f[0].equals("apgr")) {
                apgr.put(f[1], Double.parseDouble(f[2]));
            } else {
                throw new IllegalStateException(RESOURCE + ": unreadable line '" + line + "'");
            }
        }
        return new ShippedEvaluation(new Accuracy(0, reasoning, 0, cheap), apgr);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
