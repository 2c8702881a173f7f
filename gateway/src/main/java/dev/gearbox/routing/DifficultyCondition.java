package dev.gearbox.routing;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.ShareTracker;

/** {@code difficulty: {above: X}} or {@code difficulty: {target_share: S}}: the learned difficulty score. */
sealed interface DifficultyCondition extends Condition {

    /** The request is harder than a fixed score. */
    record Above(DifficultyModel model, double threshold) implements DifficultyCondition {

        @Override
        public boolean test(RequestFeatures request) {
            return request.difficulty(model) > threshold;
        }

        @Override
        public String describe() {
            return "difficulty above " + Matchers.format(threshold);
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return "difficulty is " + format(request.difficulty(model)) + ", not above " + Matchers.format(threshold);
        }
    }

    /**
     * The request is among the hardest {@code share} of those that reach this condition, by a threshold
     * that follows the traffic. Each routed request is counted in, so the share holds for what is routed;
     * an explained one is not.
     */
    record TargetShare(DifficultyModel model, ShareTracker tracker) implements DifficultyCondition {

        /**
         * Scores after which older ones count half. Short enough that a shift in traffic moves the threshold
         * within a few hundred requests; long enough that the quantile of a few hundred scores is within
         * about two points of the share.
         */
        static final int WINDOW = 250;

        @Override
        public boolean test(RequestFeatures request) {
            double score = request.difficulty(model);
            // An explanation tells what would happen without counting the request in the share.
            return request.isExplaining() ? score >= tracker.threshold() : tracker.admit(score);
        }

        @Override
        public String describe() {
            return "difficulty in the hardest " + Matchers.format(tracker.share() * 100) + "% (threshold now "
                    + format(tracker.threshold()) + ")";
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return "difficulty is " + format(request.difficulty(model)) + ", below " + format(tracker.threshold())
                    + ", the threshold holding the hardest " + Matchers.format(tracker.share() * 100) + "%";
        }
    }

    private static String format(double score) {
        return String.format(java.util.Locale.ROOT, "%.3f", score);
    }
}
