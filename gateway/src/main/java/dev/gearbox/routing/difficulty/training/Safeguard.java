package dev.gearbox.routing.difficulty.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether weights trained with a gateway's labels may replace the weights in force: not if they are worse on
 * the labels than the current weights (cross-validated figures against the current weights' scores, which
 * never saw most labels), nor worse on the shipped evaluation than the shipped weights' own cross-validated
 * figures, each by more than {@link #TOLERANCE}.
 *
 * @param current the current weights' accuracy on the labels; null when they cannot score them (features of
 *     other buckets)
 * @param trained the new weights' cross-validated accuracy on the labels
 * @param shipped the shipped weights' cross-validated figures on the shipped evaluation
 * @param evaluated the new weights' on it: cross-validated when the corpus was trained on, else scored as
 *     held out
 */
public record Safeguard(Accuracy current, Accuracy trained, ShippedEvaluation shipped, ShippedEvaluation evaluated) {

    /**
     * How much lower a share or an APGR may be and still count as no worse: under what one fold seed moves the
     * figures by (±0.02 for MMLU and GSM8K), above what adding a few hundred labels moves them by.
     */
    public static final double TOLERANCE = 0.005;

    /**
     * The accuracy of {@code scores} on labels at 0.5: of the labels above 0.5 (the reasoning tier was better),
     * the share scored above it; of those below, the share at or below it. Ties (0.5) say neither.
     */
    public static Accuracy onLabels(List<Example> labels, double[] scores) {
        int reasoning = 0;
        int above = 0;
        int cheap = 0;
        int below = 0;
        for (int i = 0; i < labels.size(); i++) {
            double target = ((Label.Need) labels.get(i).label()).target();
            if (target > 0.5) {
                reasoning++;
                above += scores[i] > 0.5 ? 1 : 0;
            } else if (target < 0.5) {
                cheap++;
                below += scores[i] <= 0.5 ? 1 : 0;
            }
        }
        return new Accuracy(reasoning, reasoning == 0 ? Double.NaN : (double) above / reasoning, cheap,
                cheap == 0 ? Double.NaN : (double) below / cheap);
    }

    /** Why the new weights may not replace the current ones, one line each; empty when they may. */
    public List<String> worse() {
        List<String> out = new ArrayList<>();
        if (current == null) {
            out.add("the current weights cannot score the labels (their features were counted over other buckets)");
        } else {
            share(out, "labels that needed reasoning scored above 0.5", trained.reasoningAbove(), current.reasoningAbove());
            share(out, "labels that did not scored at or below 0.5", trained.cheapAtOrBelow(), current.cheapAtOrBelow());
        }
        evaluated.worseThan(shipped, TOLERANCE).forEach(w -> out.add("shipped evaluation: " + w));
        return out;
    }

    private static void share(List<String> out, String what, double now, double was) {
        if (!Double.isNaN(was) && (Double.isNaN(now) || now < was - TOLERANCE)) {
            out.add(what + " " + Reports.percent(now) + " < " + Reports.percent(was) + " with the current weights");
        }
    }
}
