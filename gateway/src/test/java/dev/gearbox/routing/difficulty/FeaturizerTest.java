package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturizerTest {

    private final Featurizer featurizer = Featurizer.of(1 << 12);

    @Test
    void countsTheShapeOfMathsAndCode() {
        Map<String, Float> f = dense("Prove that x^2 + y^2 = z^2 has no solution with \\frac{x}{y} < 1 in O(n log n) time.\n"
                + "```\nfor (int i = 0; i < n; i++) {\n    sum += a[i];\n}\n```");

        assertThat(f.get("latex")).isEqualTo(log(1));
        assertThat(f.get("math_symbols")).isEqualTo(log(3));
        assertThat(f.get("equations")).isEqualTo(log(3));
        assertThat(f.get("complexity")).isEqualTo(log(1));
        assertThat(f.get("fences")).isEqualTo(log(2));
        assertThat(f.get("code_lines")).isEqualTo(log(3));
        assertThat(f.get("variables")).as("x, y, z, n, i and a").isGreaterThan(log(5));
    }

    @Test
    void readsStackFramesAndListItems() {
        Map<String, Float> f = dense("""
                Exception in thread "main" java.lang.NullPointerException
                    at com.acme.Billing.total(Billing.java:42)
                    at com.acme.Main.main(Main.java:7)
                Traceback (most recent call last):
                  File "app.py", line 3, in <module>
                Steps:
                1. start the app
                2) click pay
                - wait
                """);

        assertThat(f.get("stack_frames")).isEqualTo(log(3));
        assertThat(f.get("list_items")).isEqualTo(log(3));
        assertThat(f.get("error")).isGreaterThan(0f);
    }

    @Test
    void findsSignalsAndWhetherTheyAreInTheAsk() {
        String paste = "The committee reviewed the quarterly figures and adjourned. ".repeat(40);
        Map<String, Float> askFirst = dense("Please summarise this text:\n" + paste);
        Map<String, Float> askLast = dense(paste + "\nCan you translate that into German?");
        Map<String, Float> buried = dense("Here is a text. " + paste.substring(0, 400) + " we will translate it later. "
                + paste);

        assertThat(askFirst.get("cheap_task_ask")).isEqualTo(1f);
        assertThat(askLast.get("cheap_task_ask")).isEqualTo(1f);
        assertThat(buried.get("cheap_task")).isEqualTo(log(1));
        assertThat(buried.get("cheap_task_ask")).isZero();
    }

    @Test
    void matchesTwoWordPhrasesAcrossPunctuation() {
        List<String> found = signals("Is this queue lock-free? And what's wrong with it?");

        assertThat(found).contains("algorithm:lock-free", "definition:what's", "bug:wrong");
    }

    @Test
    void givesEachChineseCharacterAWordOfItsOwn() {
        List<String> words = new ArrayList<>();
        String text = "请证明这个定理";
        featurizer.features(text, 1, false, 0, new Recorder() {
            @Override
            public void word(int bucket, int start, int end) {
                words.add(text.substring(start, end));
            }
        });
        List<String> found = signals(text);

        assertThat(words).contains("请", "证", "明", "这", "个", "定", "理");
        assertThat(found).contains("proof:证明");
    }

    @Test
    void readsTheHeadAndTailOfALongMessageAndNothingBetween() {
        String middle = "lorem ipsum dolor sit amet ".repeat(40_000);
        String text = "Here is our spec.\n" + middle + "\nNow prove that the protocol is deadlock free.";
        int[] count = new int[2];
        featurizer.features(text, 1, false, 0, new Recorder() {
            @Override
            public void word(int bucket, int start, int end) {
                count[0]++;
            }

            @Override
            public void chars(int bucket, int end) {
                count[1]++;
            }
        });
        Map<String, Float> f = dense(text);

        assertThat(count[0] + count[1]).isLessThanOrEqualTo(2 * Featurizer.SCAN_CHARS);
        assertThat(f.get("proof_ask")).isEqualTo(1f);
        assertThat(f.get("concurrency_ask")).isEqualTo(1f);
        assertThat(f.get("log_chars")).isEqualTo(log(text.length()));
    }

    @Test
    void giveTheSameFeaturesToTheSameTextWhateverItsCharSequence() {
        String text = "Design a rate limiter for 50k QPS with p99 under 5 ms; why does our token bucket drift?";
        assertThat(dense(new StringBuilder(text))).isEqualTo(dense(text));
    }

    private Map<String, Float> dense(CharSequence text) {
        Map<String, Float> out = new HashMap<>();
        featurizer.features(text, 1, false, 0, new Recorder() {
            @Override
            public void dense(int index, float value) {
                out.put(Featurizer.DENSE[index], value);
            }
        });
        return out;
    }

    private List<String> signals(String text) {
        List<String> out = new ArrayList<>();
        featurizer.features(text, 1, false, 0, new Recorder() {
            @Override
            public void signal(int index, int start, int end) {
                out.add(featurizer.lexicon().signals().get(index).name() + ":" + text.substring(start, end));
            }
        });
        return out;
    }

    private static float log(long count) {
        return (float) (StrictMath.log1p(count) / 4);
    }

    private static class Recorder implements Featurizer.Sink {
        @Override
        public void word(int bucket, int start, int end) {
        }

        @Override
        public void chars(int bucket, int end) {
        }

        @Override
        public void dense(int index, float value) {
        }
    }
}
