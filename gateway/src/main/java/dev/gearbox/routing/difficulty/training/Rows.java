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
            featurizer.features(e.text(), e.turns(), e.tools(), e.systemChars(), collector);
            collector.into(r, index, value);
        }
        return new Rows(buckets + Featurizer.DENSE.length, index, value);
    }

    /**
     * These rows with one more copy of the features per group, filled only in the rows of that group
     * ({@code group[i]} from 0, or -1 for none): copy {@code g} holds columns {@code (g + 1) · columns} on.
     */
    Rows augment(int[] group, int groups) {
        int[][] idx = new int[size()][];
        float[][] val = new float[size()][];
        for (int i = 0; i < size(); i++) {
            int g = group[i];
            int m = index[i].length;
            idx[i] = Arrays.copyOf(index[i], g < 0 ? m : 2 * m);
            val[i] = Arrays.copyOf(value[i], g < 0 ? m : 2 * m);
            for (int j = 0; g >= 0 && j < m; j++) {
                idx[i][m + j] = index[i][j] + (g + 1) * columns;
                val[i][m + j] = value[i][j];
            }
        }
        return new Rows(columns * (groups + 1), idx, val);
    }

    /** The dot product of a row with the block of {@code w} that starts at column {@code offset}. */
    double dot(int row, double[] w, int offset) {
        int[] idx = index[row];
        float[] val = value[row];
        double sum = 0;
        for (int j = 0; j < idx.length; j++) {
            sum += val[j] * w[offset + idx[j]];
        }
        return sum;
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
        public void word(int bucket) {
            touch(bucket);
            wordCounts[bucket]++;
            words++;
        }

        @Override
        public void chars(int bucket) {
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
