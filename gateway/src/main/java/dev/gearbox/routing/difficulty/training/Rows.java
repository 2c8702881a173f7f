package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.FeatureRow;
import dev.gearbox.routing.difficulty.Featurizer;
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

    /**
     * @throws IllegalArgumentException when a prompt kept as features was counted over other buckets than
     *     {@code featurizer}'s
     */
    static Rows of(List<Example> examples, Featurizer featurizer) {
        int buckets = featurizer.buckets();
        int[][] index = new int[examples.size()][];
        float[][] value = new float[examples.size()][];
        FeatureRow.Builder builder = new FeatureRow.Builder(buckets);
        for (int r = 0; r < examples.size(); r++) {
            FeatureRow row;
            if (examples.get(r).prompt() instanceof Conversation c) {
                builder.reset();
                featurizer.features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), builder);
                row = builder.row(c.length());
            } else {
                row = (FeatureRow) examples.get(r).prompt();
                if (row.buckets() != buckets) {
                    throw new IllegalArgumentException("prompt " + examples.get(r).id() + ": features counted over "
                            + row.buckets() + " buckets (expected: " + buckets + ", as --buckets says)");
                }
            }
            index[r] = row.columns();
            value[r] = row.values();
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
}
