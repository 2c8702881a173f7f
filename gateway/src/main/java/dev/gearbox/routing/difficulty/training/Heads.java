package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.Expert;
import dev.gearbox.routing.difficulty.Featurizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The fitted heads: the shared head, and an expert and a gate per group, each over every column, and the
 * shared head's mean over each group's prompts with gains (the expert's anchor).
 */
record Heads(double[] shared, double[][] experts, double[][] gates, double[] anchors) {

    static Heads fit(Rows rows, List<Example> examples, List<Trainer.Group> groups, boolean[] use, double[] need,
                     boolean[] labelled, Trainer.Options options) {
        int n = rows.size();
        double[] weight = new double[n];
        boolean[] sub = new boolean[n];
        for (int i = 0; i < n; i++) {
            weight[i] = examples.get(i).weight();
            sub[i] = use[i] && labelled[i];
        }
        double[] shared = Ridge.fit(rows, sub, need, weight, options.lambda());
        double[][] experts = new double[groups.size()][];
        double[][] gates = new double[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            Trainer.Group group = groups.get(g);
            double[] member = new double[n];
            double[] target = new double[n];
            int members = 0;
            int others = 0;
            for (int i = 0; i < n; i++) {
                // Labelled prompts of the group (a benchmark's training split) teach its gate what its
                // prompts look like; only measured gains teach its expert.
                boolean in = examples.get(i).group().equals(group.name());
                member[i] = in ? 1 : 0;
                sub[i] = use[i] && in && !labelled[i];
                if (use[i]) {
                    members += in ? 1 : 0;
                    others += in ? 0 : 1;
                }
                if (sub[i] && examples.get(i).label() instanceof Label.Gain x) {
                    target[i] = x.gain() / group.scale();
                }
            }
            double[] expert = Ridge.fit(rows, sub, target, weight, options.expertLambda());
            centre(rows, expert, sub, weight, options.expertWeight());
            experts[g] = expert;
            // Members and the rest weigh alike in all, so a small group's gate is not drowned by the rest.
            double[] balance = new double[n];
            for (int i = 0; i < n; i++) {
                balance[i] = member[i] == 1 ? 1 : others == 0 ? 0 : (double) members / others;
            }
            gates[g] = Ridge.fit(rows, use, member, balance, options.gateLambda());
        }
        double[] anchors = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            double sum = 0;
            double mass = 0;
            for (int i = 0; i < n; i++) {
                if (use[i] && !labelled[i] && examples.get(i).group().equals(groups.get(g).name())) {
                    sum += weight[i] * rows.dot(i, shared);
                    mass += weight[i];
                }
            }
            anchors[g] = mass == 0 ? 0 : sum / mass;
        }
        return new Heads(shared, experts, gates, anchors);
    }

    /** Scales an expert by {@code factor} and moves its bias so its mean over its group is 0. */
    private static void centre(Rows rows, double[] expert, boolean[] group, double[] weight, double factor) {
        double sum = 0;
        double mass = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (group[i]) {
                sum += weight[i] * rows.dot(i, expert);
                mass += weight[i];
            }
        }
        expert[rows.bias()] -= mass == 0 ? 0 : sum / mass;
        for (int j = 0; j < expert.length; j++) {
            expert[j] *= factor;
        }
    }

    /** A prompt's heads: the shared head, then per expert its output, its gate and its anchor. */
    double[] values(Rows rows, int i) {
        double[] out = new double[1 + 3 * gates.length];
        out[0] = rows.dot(i, shared);
        for (int g = 0; g < gates.length; g++) {
            out[1 + 3 * g] = rows.dot(i, experts[g]);
            out[2 + 3 * g] = DifficultyModel.gate(rows.dot(i, gates[g]));
            out[3 + 3 * g] = anchors[g];
        }
        return out;
    }

    /** The raw output from a prompt's heads, as {@link Expert#adds} combines them. */
    static double raw(double[] values, double[] replace) {
        double raw = values[0];
        for (int g = 0; g < replace.length; g++) {
            double gate = values[2 + 3 * g];
            if (gate > 0) {
                raw += gate * (values[1 + 3 * g] + replace[g] * (values[3 + 3 * g] - values[0]));
            }
        }
        return raw;
    }

    DifficultyModel model(List<Trainer.Group> groups, double[] replace, Trainer.Options options, String description) {
        int k = 1 + 2 * groups.size();
        int buckets = options.buckets();
        float[] weights = new float[buckets * k];
        float[] dense = new float[Featurizer.DENSE.length * k];
        for (int h = 0; h < k; h++) {
            double[] w = h == 0 ? shared : h <= groups.size() ? experts[h - 1] : gates[h - 1 - groups.size()];
            for (int j = 0; j < buckets; j++) {
                weights[j * k + h] = (float) w[j];
            }
            for (int d = 0; d < Featurizer.DENSE.length; d++) {
                dense[d * k + h] = (float) w[buckets + d];
            }
        }
        List<Expert> experts = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            experts.add(new Expert(groups.get(g).name().replaceAll("\\s", "_"), (float) anchors[g], (float) replace[g]));
        }
        return DifficultyModel.of(experts, weights, dense, 0.5f, (float) options.slope(), description);
    }
}
