package dev.gearbox.routing.difficulty.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The figures a training run reports per group: accuracy of labelled prompts, APGR of prompts with gains. */
final class Reports {

    private Reports() {
    }

    static Map<String, Accuracy> accuracy(List<Example> examples, double[] scores, double[] need, boolean[] labelled) {
        Map<String, Accuracy> out = new LinkedHashMap<>();
        for (String group : groups(examples, labelled, true)) {
            int reasoning = 0;
            int above = 0;
            int cheap = 0;
            int below = 0;
            for (int i = 0; i < examples.size(); i++) {
                if (labelled[i] && examples.get(i).group().equals(group) && !examples.get(i).heldOut()) {
                    if (need[i] >= 0.5) {
                        reasoning++;
                        above += scores[i] > 0.5 ? 1 : 0;
                    } else {
                        cheap++;
                        below += scores[i] <= 0.5 ? 1 : 0;
                    }
                }
            }
            out.put(group, new Accuracy(reasoning, share(above, reasoning), cheap, share(below, cheap)));
        }
        return out;
    }

    static Map<String, Apgr> ranking(List<Example> examples, double[] scores, double[] gains, boolean[] labelled) {
        Map<String, Apgr> out = new LinkedHashMap<>();
        for (String group : groups(examples, labelled, false)) {
            int[] members = java.util.stream.IntStream.range(0, examples.size())
                    .filter(i -> !labelled[i] && examples.get(i).group().equals(group) && !examples.get(i).heldOut()).toArray();
            if (members.length == 0) {
                continue;
            }
            double[] sc = new double[members.length];
            double[] g = new double[members.length];
            for (int k = 0; k < members.length; k++) {
                sc[k] = scores[members[k]];
                g[k] = gains[members[k]];
            }
            out.put(group, Apgr.of(sc, g));
        }
        return out;
    }

    private static TreeSet<String> groups(List<Example> examples, boolean[] labelled, boolean wanted) {
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < examples.size(); i++) {
            if (labelled[i] == wanted) {
                out.add(examples.get(i).group());
            }
        }
        return out;
    }

    /** A share as a percentage with one decimal, or {@code -} when there is none. */
    static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }

    private static double share(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
