package dev.gearbox.routing.difficulty.training;

/**
 * Weighted ridge regression solved by conjugate gradients on the normal equations
 * {@code (XᵀSX + λI) w = XᵀSy}. No randomness and a fixed order of sums, so the same rows give the same
 * weights bit for bit.
 */
final class Ridge {

    private static final int MAX_ITERATIONS = 400;
    private static final double TOLERANCE = 1e-10;

    private Ridge() {
    }

    /**
     * @param rows the features
     * @param use which rows to train on
     * @param y the targets
     * @param s the row weights
     * @param lambda the L2 penalty
     */
    static double[] fit(Rows rows, boolean[] use, double[] y, double[] s, double lambda) {
        int d = rows.columns;
        double[] w = new double[d];
        double[] r = new double[d];
        for (int i = 0; i < rows.size(); i++) {
            if (use[i]) {
                rows.addScaled(i, s[i] * y[i], r);
            }
        }
        double[] p = r.clone();
        double[] ap = new double[d];
        double rr = dot(r, r);
        double stop = rr * TOLERANCE;
        for (int it = 0; it < MAX_ITERATIONS && rr > stop; it++) {
            multiply(rows, use, s, lambda, p, ap);
            double alpha = rr / dot(p, ap);
            for (int j = 0; j < d; j++) {
                w[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double next = dot(r, r);
            double beta = next / rr;
            for (int j = 0; j < d; j++) {
                p[j] = r[j] + beta * p[j];
            }
            rr = next;
        }
        return w;
    }

    private static void multiply(Rows rows, boolean[] use, double[] s, double lambda, double[] p, double[] out) {
        for (int j = 0; j < out.length; j++) {
            out[j] = lambda * p[j];
        }
        for (int i = 0; i < rows.size(); i++) {
            if (use[i] && s[i] != 0) {
                rows.addScaled(i, s[i] * rows.dot(i, p), out);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }
}
