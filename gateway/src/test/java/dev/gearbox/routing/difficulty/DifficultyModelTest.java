package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DifficultyModelTest {

    private static final DifficultyModel MODEL = DifficultyModel.shipped();

    @Test
    void scoresTheSameConversationTheSameEveryTime() {
        String prompt = "Janet has 3 apples. She buys 5 more bags of 12 apples each. How many apples does she have?";
        double first = MODEL.score(prompt, 3, true, 40);
        for (int i = 0; i < 100; i++) {
            assertThat(MODEL.score(prompt, 3, true, 40)).isEqualTo(first);
        }
        assertThat(MODEL.score(new StringBuilder(prompt), 3, true, 40)).isEqualTo(first);
    }

    @Test
    void scoresEmptyHugeNonLatinAndCodeOnlyPromptsWithinZeroAndOne() {
        String huge = "The quick brown fox jumps over the lazy dog 42 times. ".repeat(1_000_000 / 54 + 1);
        List<String> prompts = List.of("", " ", huge, "量子力学における不確定性原理を説明してください。",
                "Объясните принцип неопределённости.", "مرحبا كيف حالك", "🙂🙂🙂 \uD83D",
                "def f(x):\n    return [i*i for i in range(x) if i % 2]\n", "{}[]();;;===+++\t\t\n\n");
        for (String prompt : prompts) {
            double score = MODEL.score(prompt, 1, false, 0);
            assertThat(score).as(prompt.length() > 60 ? prompt.substring(0, 60) : prompt).isBetween(0.0, 1.0);
        }
        assertThat(huge.length()).isGreaterThan(1_000_000);
    }

    @Test
    void aHugePromptCostsNoMoreThanItsScannedPrefix() {
        String prefix = "word ".repeat(Featurizer.SCAN_CHARS / 5);
        String huge = prefix + "x".repeat(1 << 20);
        int[] counted = new int[2];
        Featurizer.Sink counter = new Featurizer.Sink() {
            @Override
            public void word(int bucket) {
                counted[0]++;
            }

            @Override
            public void chars(int bucket) {
                counted[1]++;
            }

            @Override
            public void dense(int index, float value) {
            }
        };
        MODEL.featurizer().features(huge, 1, false, 0, counter);

        assertThat(counted[0] + counted[1]).isLessThanOrEqualTo(2 * Featurizer.SCAN_CHARS);
    }

    @Test
    void ranksAWordProblemAboveATranslationRequest() {
        double wordProblem = MODEL.score("Janet has 3 apples. She buys 5 more bags of 12 apples each and gives away a "
                + "third of them. How many apples does she have left?", 1, false, 0);
        double translation = MODEL.score("Translate 'good morning' into French.", 1, false, 0);

        assertThat(wordProblem).isGreaterThan(translation + 0.3);
    }

    @Test
    void calibratesRawOutputsToTheirShareOfTrainingPrompts() {
        float[] knots = new float[DifficultyModel.KNOTS];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = i < 50 ? 0f : i;
        }
        DifficultyModel model = DifficultyModel.of(new float[4], new float[Featurizer.DENSE.length], knots, "test");

        assertThat(model.calibrate(-1)).isZero();
        assertThat(model.calibrate(1000)).isEqualTo(1.0);
        assertThat(model.calibrate(75)).isEqualTo(0.75);
        assertThat(model.calibrate(75.5)).isEqualTo(0.755);
        // Half the training prompts share the raw output 0: they read as the middle of that run, not its bottom.
        assertThat(model.calibrate(0)).isEqualTo(0.245);
    }

    @Test
    void addsAnExpertInProportionToItsGateClampedToZeroAndOne() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int buckets = 1 << 10;
        float[] shared = new float[buckets];
        float[] sharedDense = new float[Featurizer.DENSE.length];
        for (int b = 0; b < buckets; b++) {
            shared[b] = (float) random.nextGaussian();
        }
        for (int d = 0; d < sharedDense.length; d++) {
            sharedDense[d] = (float) random.nextGaussian();
        }
        DifficultyModel single = DifficultyModel.of(shared, sharedDense, new float[DifficultyModel.KNOTS], "single");
        String text = "A train leaves at 3 pm at 60 km/h; when does it reach a town 150 km away?";
        double base = single.raw(text, 1, false, 0);
        for (float gateBias : new float[] {-3f, 0f, 0.5f, 1f, 4f}) {
            for (int experts = 1; experts <= 2; experts++) {
                // Experts copy the shared weights; only the first gate is open, by its bias alone.
                int heads = 1 + 2 * experts;
                float[] weights = new float[buckets * heads];
                float[] dense = new float[Featurizer.DENSE.length * heads];
                for (int b = 0; b < buckets; b++) {
                    for (int e = 0; e <= experts; e++) {
                        weights[b * heads + e] = shared[b];
                    }
                }
                for (int d = 0; d < sharedDense.length; d++) {
                    for (int e = 0; e <= experts; e++) {
                        dense[d * heads + e] = sharedDense[d];
                    }
                }
                dense[1 + experts] = gateBias;
                java.util.List<String> names = experts == 1 ? java.util.List.of("a") : java.util.List.of("a", "b");
                DifficultyModel model = DifficultyModel.of(names, weights, dense, new float[DifficultyModel.KNOTS], "gated");

                double gate = Math.max(0, Math.min(1, gateBias));
                assertThat(model.raw(text, 1, false, 0)).as("gate bias %s, %d experts", gateBias, experts)
                        .isCloseTo(base * (1 + gate), org.assertj.core.api.Assertions.within(1e-9 * (1 + Math.abs(base))));
            }
        }
    }
}
