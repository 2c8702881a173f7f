package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DifficultyModelTest {

    private static final DifficultyModel MODEL = DifficultyModel.shipped();

    @Test
    void scoresTheSameConversationTheSameEveryTime() {
        Conversation c = new Conversation("Janet has 3 apples. She buys 5 more bags of 12 apples each. How many apples?", 3, true, 40);
        double first = MODEL.score(c);
        for (int i = 0; i < 100; i++) {
            assertThat(MODEL.score(c)).isEqualTo(first);
        }
    }

    @Test
    void scoresEmptyHugeNonLatinAndCodeOnlyPromptsWithinZeroAndOne() {
        String huge = "The quick brown fox jumps over the lazy dog 42 times. ".repeat(1_000_000 / 54 + 1);
        List<String> prompts = List.of("", " ", huge, "量子力学における不確定性原理を説明してください。",
                "Объясните принцип неопределённости.", "مرحبا كيف حالك", "🙂🙂🙂 \uD83D",
                "def f(x):\n    return [i*i for i in range(x) if i % 2]\n", "{}[]();;;===+++\t\t\n\n");
        for (String prompt : prompts) {
            assertThat(MODEL.score(prompt)).as(prompt.length() > 60 ? prompt.substring(0, 60) : prompt).isBetween(0.0, 1.0);
        }
        assertThat(huge.length()).isGreaterThan(1_000_000);
    }

    @Test
    void sendsTheObviousCasesToTheirTier() {
        // The issue's own examples: each was on the wrong side of 0.5 before the reasoning-need features.
        for (String hard : List.of(
                "Prove step by step that there are infinitely many primes p = 4k+3.",
                "Show that every connected graph with n vertices and n edges contains exactly one cycle.",
                "Design an algorithm for the longest increasing subsequence in O(n log n) and prove it correct.",
                "Solve the recurrence T(n) = 2T(sqrt(n)) + log n.")) {
            assertThat(MODEL.score(hard)).as(hard).isGreaterThan(0.5);
        }
        for (String easy : List.of("Fix the grammar: 'Me and him goes to the store yesterday.'", "hi! how are you today?",
                "Translate 'good morning' into French.", "What is 15% of 80?")) {
            assertThat(MODEL.score(easy)).as(easy).isLessThan(0.5);
        }
    }

    @Test
    void calibratesTheRawOutputWithASigmoidAroundItsCentre() {
        DifficultyModel model = DifficultyModel.of(List.of(), new float[4], new float[Featurizer.DENSE.length], 0.5f, 6f, "test");

        assertThat(model.calibrate(0.5)).isEqualTo(0.5);
        assertThat(model.calibrate(1.0)).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-12));
        assertThat(model.calibrate(0.4)).isLessThan(model.calibrate(0.41));
        assertThat(model.calibrate(-1e9)).isZero();
        assertThat(model.calibrate(1e9)).isEqualTo(1.0);
    }

    @Test
    void opensAnExpertOnlyForARequestThatLooksLikeItsGroup() {
        assertThat(DifficultyModel.gate(0.2)).isZero();
        assertThat(DifficultyModel.gate(0.5)).isZero();
        assertThat(DifficultyModel.gate(0.7)).isCloseTo(0.5, within(1e-12));
        assertThat(DifficultyModel.gate(0.9)).isEqualTo(1.0);
        assertThat(DifficultyModel.gate(3)).isEqualTo(1.0);
    }

    @Test
    void addsEachExpertInProportionToItsGate() {
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
        DifficultyModel single = DifficultyModel.of(List.of(), shared, sharedDense, 0.5f, 6f, "single");
        Conversation text = Conversation.of("A train leaves at 3 pm at 60 km/h; when does it reach a town 150 km away?");
        double base = single.raw(text);
        for (float gateBias : new float[] {-3f, 0f, 0.5f, 0.75f, 1f, 4f}) {
            for (int experts = 1; experts <= 3; experts++) {
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
                List<Expert> plain = List.of(new Expert("a", 0f, 0f), new Expert("b", 0f, 0f), new Expert("c", 0f, 0f));
                DifficultyModel model = DifficultyModel.of(plain.subList(0, experts), weights, dense, 0.5f, 6f, "gated");
                // The first expert replacing the shared head whole within its group: anchor plus its own output.
                List<Expert> replacing = new java.util.ArrayList<>(plain.subList(0, experts));
                replacing.set(0, new Expert("a", 0.25f, 1f));
                DifficultyModel replaced = DifficultyModel.of(replacing, weights, dense, 0.5f, 6f, "replacing");

                double gate = DifficultyModel.gate(gateBias);
                assertThat(model.raw(text)).as("gate bias %s, %d experts", gateBias, experts)
                        .isCloseTo(base * (1 + gate), within(1e-9 * (1 + Math.abs(base))));
                assertThat(replaced.raw(text)).as("gate bias %s, %d experts, replacing", gateBias, experts)
                        .isCloseTo(base + gate * 0.25, within(1e-6 * (1 + Math.abs(base))));
            }
        }
    }
}
