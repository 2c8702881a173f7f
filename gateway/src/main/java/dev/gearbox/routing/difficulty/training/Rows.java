package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.Featurizer;
import java.util.Arrays;
import java.util.List;

/**
 * The training prompts as sparse rows over the model's columns: the hashed buckets, then the structural
 * features. An n-gram bucket's value is its count over the square root of its group's total, as
 * {@code DifficultyModel} scores it, so the trained weights apply unchanged.
 */
final class Rows {

    final int columns;
    final int[][] index;
    final float[][] value;

    private Rows(int columns, int[][] index, float[][] value) {
        this.columns = columns;
        this.index = index;
        this.value = value;
    }

    static Rows of(List<Example> examples, Featurizer featurizer) {
        int buckets = featurizer.buckets();
        int[][] index = new int[examples.size()][];
        float[][] value = new float[examples.size()][];
        Collector collector = new Collector(buckets);
        for (int r = 0; r < examples.size(); r++) {
            Example e = examples.get(r);
            collector.reset();
            var c = e.conversation();
            featurizer.features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), collector);
            collector.into(r, index, value);
        }
        return new Rows(buckets + Featurizer.DENSE.length, index, value);
    }

    /** The column of the constant feature ("bias"), the first of the dense ones. */
    int bias() {
        return columns - Featurizer.DENSE.length;
    }

    /** Adds {@code factor} times a row to {@code out}. */
    void addScaled(int row, double factor, double[] out) {
        int[] idx = index[row];
        float[] val = value[row];
        for (int j = 0; j < idx.length; j++) {
            out[idx[j]] += factor * val[j];
        }
    }

    int size() {
        return index.length;
    }

    double dot(int row, double[] w) {
        int[] idx = index[row];
        float[] val = value[row];
        double sum = 0;
        for (int j = 0; j < idx.length; j++) {
            sum += val[j] * w[idx[j]];
        }
        return sum;
    }

    /** Counts each bucket per group, then writes the row sorted by column. */
    private static final class Collector implements Featurizer.Sink {
        private final int buckets;
        private final float[] wordCounts;
        private final float[] charCounts;
        private final float[] dense = new float[Featurizer.DENSE.length];
        private int[] touched = new int[1024];
        private int touchedCount;
        private int words;
        private int chars;

        Collector(int buckets) {
            this.buckets = buckets;
            this.wordCounts = new float[buckets];
            this.charCounts = new float[buckets];
        }

        void reset() {
            for (int i = 0; i < touchedCount; i++) {
                wordCounts[touched[i]] = 0;
                charCounts[touched[i]] = 0;
            }
            touchedCount = 0;
            words = 0;
            chars = 0;
        }

        @Override
        public void word(int bucket, int start, int end) {
            touch(bucket);
            wordCounts[bucket]++;
            words++;
        }

        @Override
        public void chars(int bucket, int end) {
            touch(bucket);
            charCounts[bucket]++;
            chars++;
        }

        @Override
        public void dense(int index, float v) {
            dense[index] = v;
        }

        private void touch(int bucket) {
            if (wordCounts[bucket] == 0 && charCounts[bucket] == 0) {
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = bucket;
            }
        }

        void into(int row, int[][] index, float[][] value) {
            Arrays.sort(touched, 0, touchedCount);
            int n = touchedCount + dense.length;
            int[] idx = new int[n];
            float[] val = new float[n];
            double wordScale = words == 0 ? 0 : 1 / Math.sqrt(words);
            double charScale = chars == 0 ? 0 : 1 / Math.sqrt(chars);
            for (int i = 0; i < touchedCount; i++) {
                int b = touched[i];
                idx[i] = b;
                val[i] = (float) (wordCounts[b] * wordScale + charCounts[b] * charScale);
            }
            for (int d = 0; d < dense.length; d++) {
                idx[touchedCount + d] = buckets + d;
                val[touchedCount + d] = dense[d];
            }
            index[row] = idx;
            value[row] = val;
        }
    }
}
