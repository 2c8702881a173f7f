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
}
