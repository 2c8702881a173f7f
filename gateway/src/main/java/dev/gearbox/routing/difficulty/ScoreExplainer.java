package dev.gearbox.routing.difficulty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Says why a request scored as it did: the features that moved its raw output most, in the words an
 * operator reads ("proof or derivation: prove, show that", "equations", the word "deadlock"), so a wrong
 * decision shows its cause. For explain and the {@code route} command, never the hot path: it records every
 * feature of the request, then attributes the raw output to them.
 *
 * <p>A feature's contribution is its value times its weight in the shared head; an expert whose gate opened
 * is a reason of its own, what it adds ({@link Expert#adds}); the constant and the text's length and layout are the
 * base. All of them add up to the raw output. A word's contribution includes the character 4-grams that end within it.
 */
public final class ScoreExplainer {

    /** What moved the score. */
    public enum Kind {
        /** A signal of the lexicon, with the words that matched it. */
        SIGNAL,
        /** The shape of the text: equations, code lines, length, ... */
        SHAPE,
        /** A word of the text and the character n-grams within it. */
        WORD,
        /** A benchmark's expert, opened by a request that looks like its prompts. */
        EXPERT,
        /** Where every request starts: the constant, and the text's length and layout; always the last reason. */
        BASE
    }

    /**
     * @param kind what the reason is
     * @param name the signal's label, the shape's name, the word, or the expert's group
     * @param matched the words that matched a signal, or the gate of an expert as text; empty otherwise
     * @param contribution what it added to the raw output (the score is the raw output through a sigmoid)
     */
    public record Reason(Kind kind, String name, List<String> matched, double contribution) {
    }

    /**
     * @param score the request's score
     * @param raw the raw output the reasons add up to
     * @param reasons the strongest reasons, strongest first, then the base
     */
    public record Explanation(double score, double raw, List<Reason> reasons) {
    }

    /** The dense features that measure a text's length and layout rather than what it asks. */
    private static final Set<String> LAYOUT = Set.of("log_chars", "log_words", "log_lines", "log_first_line",
            "first_line_share", "sentences", "list_items", "log_questions", "log_turns", "log_system_chars");

    private ScoreExplainer() {
    }

    public static Explanation explain(DifficultyModel model, Conversation c, int top) {
        Recorder r = new Recorder();
        model.featurizer().features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), r);
        int heads = model.heads();
        int experts = model.experts().size();
        float[] w = model.weights();
        float[] d = model.dense();
        double wordScale = r.wordBuckets.isEmpty() ? 0 : 1 / Math.sqrt(r.wordBuckets.size());
        double charScale = r.charBuckets.isEmpty() ? 0 : 1 / Math.sqrt(r.charBuckets.size());
        // Every head's output first, for the gates; then each feature's weight as the gates mix the heads.
        double[] head = new double[heads];
        for (int b : r.wordBuckets) {
            for (int h = 0; h < heads; h++) {
                head[h] += w[b * heads + h] * wordScale;
            }
        }
        for (int b : r.charBuckets) {
            for (int h = 0; h < heads; h++) {
                head[h] += w[b * heads + h] * charScale;
            }
        }
        for (int i = 0; i < r.dense.length; i++) {
            for (int h = 0; h < heads; h++) {
                head[h] += d[i * heads + h] * r.dense[i];
            }
        }
        double[] mix = new double[1 + experts];
        mix[0] = 1;
        for (int g = 0; g < experts; g++) {
            mix[1 + g] = DifficultyModel.gate(head[1 + experts + g]);
        }
        List<Reason> reasons = new ArrayList<>();
        Map<String, double[]> words = new LinkedHashMap<>();
        for (int k = 0; k < r.wordBuckets.size(); k++) {
            String word = r.text.subSequence(r.wordStarts.get(k), r.wordEnds.get(k)).toString().toLowerCase(Locale.ROOT);
            words.computeIfAbsent(word, x -> new double[1])[0] += w[r.wordBuckets.get(k) * heads] * wordScale;
        }
        for (int k = 0; k < r.charBuckets.size(); k++) {
            String word = r.wordAt(r.charEnds.get(k) - 1);
            if (word != null) {
                words.computeIfAbsent(word, x -> new double[1])[0] += w[r.charBuckets.get(k) * heads] * charScale;
            }
        }
        words.forEach((word, sum) -> reasons.add(new Reason(Kind.WORD, word, List.of(), sum[0])));
        Lexicon lexicon = model.featurizer().lexicon();
        // Length and layout move every score, mostly against each other (more words up, more lines down):
        // with the constant they are the base every request starts from, reported after what is particular
        // to the request, which is what an operator looks for.
        double layout = d[0] * r.dense[0];
        for (int i = 1; i < Featurizer.SIGNALS_AT; i++) {
            double contribution = d[i * heads] * r.dense[i];
            if (LAYOUT.contains(Featurizer.DENSE[i])) {
                layout += contribution;
            } else if (r.dense[i] != 0) {
                reasons.add(new Reason(Kind.SHAPE, Featurizer.DENSE[i], List.of(), contribution));
            }
        }
        for (int s = 0; s < lexicon.signals().size(); s++) {
            int at = Featurizer.SIGNALS_AT + 2 * s;
            double contribution = d[at * heads] * r.dense[at] + d[(at + 1) * heads] * r.dense[at + 1];
            if (!r.matched.get(s).isEmpty()) {
                reasons.add(new Reason(Kind.SIGNAL, lexicon.signals().get(s).label(), List.copyOf(r.matched.get(s)), contribution));
            }
        }
        double raw = head[0];
        for (int g = 0; g < experts; g++) {
            if (mix[1 + g] > 0) {
                Expert expert = model.experts().get(g);
                double adds = expert.adds(head[0], head[1 + g], mix[1 + g]);
                raw += adds;
                reasons.add(new Reason(Kind.EXPERT, expert.group(),
                        List.of(String.format(Locale.ROOT, "gate %.2f", mix[1 + g])), adds));
            }
        }
        reasons.sort(Comparator.comparingDouble((Reason x) -> -Math.abs(x.contribution())));
        List<Reason> out = new ArrayList<>(reasons.subList(0, Math.min(top, reasons.size())));
        out.add(new Reason(Kind.BASE, "length and layout", List.of(), layout));
        return new Explanation(model.calibrate(raw), raw, List.copyOf(out));
    }

    /** Every feature of one request, with where in the text its words are. */
    private static final class Recorder implements Featurizer.Sink {
        CharSequence text = "";
        final List<Integer> wordBuckets = new ArrayList<>();
        final List<Integer> wordStarts = new ArrayList<>();
        final List<Integer> wordEnds = new ArrayList<>();
        final List<Integer> charBuckets = new ArrayList<>();
        final List<Integer> charEnds = new ArrayList<>();
        final float[] dense = new float[Featurizer.DENSE.length];
        final List<Set<String>> matched = new ArrayList<>();

        Recorder() {
            for (int s = 0; s < Lexicon.shipped().signals().size(); s++) {
                matched.add(new LinkedHashSet<>());
            }
        }

        @Override
        public void scanned(CharSequence text) {
            this.text = text;
        }

        @Override
        public void word(int bucket, int start, int end) {
            wordBuckets.add(bucket);
            wordStarts.add(start);
            wordEnds.add(end);
        }

        @Override
        public void chars(int bucket, int end) {
            charBuckets.add(bucket);
            charEnds.add(end);
        }

        @Override
        public void dense(int index, float value) {
            dense[index] = value;
        }

        @Override
        public void signal(int index, int start, int end) {
            Set<String> words = matched.get(index);
            if (words.size() < 6) {
                words.add(text.subSequence(start, end).toString().toLowerCase(Locale.ROOT));
            }
        }

        /** The lower-cased word whose span holds position {@code at}, or null for a space. */
        String wordAt(int at) {
            int lo = 0;
            int hi = wordStarts.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (wordEnds.get(mid) <= at) {
                    lo = mid + 1;
                } else if (wordStarts.get(mid) > at) {
                    hi = mid - 1;
                } else {
                    return text.subSequence(wordStarts.get(mid), wordEnds.get(mid)).toString().toLowerCase(Locale.ROOT);
                }
            }
            return null;
        }
    }
}
