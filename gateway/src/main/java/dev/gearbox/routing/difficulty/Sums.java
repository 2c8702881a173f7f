package dev.gearbox.routing.difficulty;

/**
 * The sinks that sum a model's weights as the featurizer emits features: one head, any number of heads, or
 * the shipped model's five (two experts) kept in fields. Apart from the model because they are its inner loop, tuned
 * on their own (see bench/README.md), while the model is about loading and calibrating.
 */
final class Sums {

    private Sums() {
    }

    /** Sums weights as the featurizer emits them; n-gram groups are scaled by the square root of their counts. */
    static final class Dot implements Featurizer.Sink {
        private final float[] weights;
        private final float[] dense;
        private double words;
        private int wordCount;
        private double chars;
        private int charCount;
        private double structure;

        Dot(float[] weights, float[] dense) {
            this.weights = weights;
            this.dense = dense;
        }

        @Override
        public void word(int bucket, int start, int end) {
            words += weights[bucket];
            wordCount++;
        }

        @Override
        public void chars(int bucket, int end) {
            chars += weights[bucket];
            charCount++;
        }

        @Override
        public void dense(int index, float value) {
            structure += dense[index] * value;
        }

        double value() {
            return structure + (wordCount == 0 ? 0 : words / Math.sqrt(wordCount))
                    + (charCount == 0 ? 0 : chars / Math.sqrt(charCount));
        }
    }

    /** The same sums for every head at once, from the interleaved weights. */
    static final class Heads implements Featurizer.Sink {
        private final float[] weights;
        private final float[] dense;
        private final int heads;
        private final double[] words;
        private final double[] chars;
        private final double[] structure;
        private int wordCount;
        private int charCount;

        Heads(float[] weights, float[] dense, int heads) {
            this.weights = weights;
            this.dense = dense;
            this.heads = heads;
            this.words = new double[heads];
            this.chars = new double[heads];
            this.structure = new double[heads];
        }

        @Override
        public void word(int bucket, int start, int end) {
            int at = bucket * heads;
            for (int k = 0; k < heads; k++) {
                words[k] += weights[at + k];
            }
            wordCount++;
        }

        @Override
        public void chars(int bucket, int end) {
            int at = bucket * heads;
            for (int k = 0; k < heads; k++) {
                chars[k] += weights[at + k];
            }
            charCount++;
        }

        @Override
        public void dense(int index, float value) {
            int at = index * heads;
            for (int k = 0; k < heads; k++) {
                structure[k] += dense[at + k] * value;
            }
        }

        double value(int head) {
            return structure[head] + (wordCount == 0 ? 0 : words[head] / Math.sqrt(wordCount))
                    + (charCount == 0 ? 0 : chars[head] / Math.sqrt(charCount));
        }
    }

    /** {@link Heads} for two experts (shared, two experts, two gates), in fields the JIT keeps in registers. */
    static final class TwoExperts implements Featurizer.Sink {
        private final float[] weights;
        private final float[] dense;
        private double words0;
        private double words1;
        private double words2;
        private double words3;
        private double words4;
        private double chars0;
        private double chars1;
        private double chars2;
        private double chars3;
        private double chars4;
        private double structure0;
        private double structure1;
        private double structure2;
        private double structure3;
        private double structure4;
        private int wordCount;
        private int charCount;

        TwoExperts(float[] weights, float[] dense) {
            this.weights = weights;
            this.dense = dense;
        }

        @Override
        public void word(int bucket, int start, int end) {
            int at = bucket * 5;
            words0 += weights[at];
            words1 += weights[at + 1];
            words2 += weights[at + 2];
            words3 += weights[at + 3];
            words4 += weights[at + 4];
            wordCount++;
        }

        @Override
        public void chars(int bucket, int end) {
            int at = bucket * 5;
            chars0 += weights[at];
            chars1 += weights[at + 1];
            chars2 += weights[at + 2];
            chars3 += weights[at + 3];
            chars4 += weights[at + 4];
            charCount++;
        }

        @Override
        public void dense(int index, float value) {
            int at = index * 5;
            structure0 += dense[at] * value;
            structure1 += dense[at + 1] * value;
            structure2 += dense[at + 2] * value;
            structure3 += dense[at + 3] * value;
            structure4 += dense[at + 4] * value;
        }

        /** A head's sum: 0 the shared head, 1 and 2 the experts, 3 and 4 their gates. */
        double head(int k) {
            double w = wordCount == 0 ? 0 : 1 / Math.sqrt(wordCount);
            double c = charCount == 0 ? 0 : 1 / Math.sqrt(charCount);
            return switch (k) {
                case 0 -> structure0 + words0 * w + chars0 * c;
                case 1 -> structure1 + words1 * w + chars1 * c;
                case 2 -> structure2 + words2 * w + chars2 * c;
                case 3 -> structure3 + words3 * w + chars3 * c;
                default -> structure4 + words4 * w + chars4 * c;
            };
        }
    }
}
