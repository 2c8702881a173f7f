package dev.gearbox.routing.difficulty.training;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The quality a score buys, as {@code routing-eval/eval_router.py} measures it: route the highest-scored
 * prompts to the strong model, k = 0..n; PGR is the share of the total gain recovered, APGR its area over
 * the share of strong calls (0.5 for a random score), CPT(x) the strong-call share that first recovers x.
 * Evaluated on the same 101-point grid, with ties kept in input order, so the figures match the script's.
 *
 * @param apgr area under the PGR curve
 * @param cpt50 share of strong calls for PGR 50%
 * @param cpt80 share of strong calls for PGR 80%
 */
public record Apgr(double apgr, double cpt50, double cpt80) {

    private static final int GRID = 100;

    public static Apgr of(double[] scores, double[] gains) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        double[] cumulative = new double[n + 1];
        for (int k = 0; k < n; k++) {
            cumulative[k + 1] = cumulative[k] + gains[order[k]];
        }
        double total = cumulative[n];
        double[] x = new double[GRID + 1];
        double[] pgr = new double[GRID + 1];
        for (int g = 0; g <= GRID; g++) {
            int k = (int) Math.rint((double) g * n / GRID);
            x[g] = (double) k / n;
            pgr[g] = total == 0 ? Double.NaN : cumulative[k] / total;
        }
        double area = 0;
        for (int g = 0; g < GRID; g++) {
            area += (pgr[g] + pgr[g + 1]) / 2 * (x[g + 1] - x[g]);
        }
        return new Apgr(area, cpt(x, pgr, 0.5), cpt(x, pgr, 0.8));
    }

    private static double cpt(double[] x, double[] pgr, double target) {
        for (int i = 0; i < pgr.length; i++) {
            if (pgr[i] >= target) {
                if (i == 0) {
                    return x[0];
                }
                double t = pgr[i] != pgr[i - 1] ? (target - pgr[i - 1]) / (pgr[i] - pgr[i - 1]) : 1.0;
                return x[i - 1] + t * (x[i] - x[i - 1]);
            }
        }
        return Double.NaN;
    }
}
