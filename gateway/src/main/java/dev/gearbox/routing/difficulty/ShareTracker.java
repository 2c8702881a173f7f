package dev.gearbox.routing.difficulty;

/**
 * Holds a target share of requests above a moving threshold: it keeps a histogram of recent scores and
 * sets the threshold at the quantile that leaves the target share above it, so "the hardest quarter"
 * stays a quarter when traffic gets harder or easier.
 *
 * <p>Counts are halved every {@code window} scores, so the threshold follows the last few windows of
 * traffic rather than all of it. Until {@link #WARM_UP} scores are seen it is {@code 1 - share}, which is
 * right for traffic like the training prompts, since scores are calibrated as their quantiles. Shared by
 * every event loop: one short synchronized update per request, no allocation.
 */
public final class ShareTracker {

    static final int BINS = 1000;
    static final int WARM_UP = 200;
    private static final int RECOMPUTE_EVERY = 16;

    private final double share;
    private final int window;
    private final long[] counts = new long[BINS];
    private long total;
    private long seen;
    private double threshold;

    private ShareTracker(double share, int window) {
        this.share = share;
        this.window = window;
        this.threshold = 1 - share;
    }

    /**
     * @param share the share of requests to admit, in (0, 1)
     * @param window scores after which older ones count half
     */
    public static ShareTracker of(double share, int window) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("share: " + share + " (expected: between 0 and 1, exclusive)");
        }
        if (window < WARM_UP) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= " + WARM_UP + ")");
        }
        return new ShareTracker(share, window);
    }

    public double share() {
        return share;
    }

    /** Records a score and tells whether it is within the target share, against the threshold before it. */
    public synchronized boolean admit(double score) {
        boolean admitted = score >= threshold;
        int bin = (int) Math.min(BINS - 1, Math.max(0, score * BINS));
        counts[bin] += 2;
        total += 2;
        seen++;
        if (seen % window == 0) {
            total = 0;
            for (int i = 0; i < BINS; i++) {
                counts[i] >>= 1;
                total += counts[i];
            }
        }
        if (seen >= WARM_UP && seen % RECOMPUTE_EVERY == 0) {
            threshold = quantile();
        }
        return admitted;
    }

    /** The score a request needs now to be admitted. */
    public synchronized double threshold() {
        return threshold;
    }

    /** The lower edge of the bin where the mass above first reaches the target share, interpolated within it. */
    private double quantile() {
        double wanted = share * total;
        double above = 0;
        for (int i = BINS - 1; i >= 0; i--) {
            if (above + counts[i] >= wanted && counts[i] > 0) {
                double within = (wanted - above) / counts[i];
                return (i + 1 - within) / BINS;
            }
            above += counts[i];
        }
        return 0;
    }
}
