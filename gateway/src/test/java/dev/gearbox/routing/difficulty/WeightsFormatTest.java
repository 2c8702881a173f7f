package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightsFormatTest {

    @Test
    void readsBackWhatItWroteBitForBit() throws IOException {
        float[] weights = new float[16];
        weights[3] = 0.1f;
        weights[15] = -Float.MIN_VALUE;
        float[] dense = new float[Featurizer.DENSE.length];
        dense[0] = 1e-30f;
        String written = write(DifficultyModel.of(List.of(), weights, dense, 0.45f, 7f, "test run"));

        DifficultyModel read = read(written);

        assertThat(write(read)).isEqualTo(written);
        assertThat(read.weights()).containsExactly(weights);
        assertThat(read.center()).isEqualTo(0.45f);
        assertThat(read.slope()).isEqualTo(7f);
        assertThat(read.description()).isEqualTo("test run");
    }

    @Test
    void readsBackAModelWithExpertsBitForBit() throws IOException {
        // Two experts: five heads per bucket (shared, two experts, two gates).
        float[] weights = new float[8 * 5];
        weights[3 * 5 + 1] = 0.25f;
        weights[7 * 5 + 4] = -2f;
        float[] dense = new float[Featurizer.DENSE.length * 5];
        dense[2] = 0.5f;
        String written = write(DifficultyModel.of(List.of(new Expert("mmlu", 0.3f, 1f), new Expert("gsm8k", -0.5f, 0f)),
                weights, dense, 0.5f, 6f, "two experts"));

        DifficultyModel read = read(written);

        assertThat(write(read)).isEqualTo(written);
        assertThat(written).startsWith("gearbox-difficulty 3\nbuckets 8\nfeatures " + Featurizer.fingerprint()
                + "\nexperts mmlu gsm8k\nexpert mmlu 3e99999a 3f800000\nexpert gsm8k bf000000 0\n")
                .contains("\nw 3 0 3e800000 0 0 0\n");
        assertThat(read.experts()).containsExactly(new Expert("mmlu", 0.3f, 1f), new Expert("gsm8k", -0.5f, 0f));
        assertThatThrownBy(() -> read(written.replace("expert gsm8k bf000000 0", "expert gsm8k bf000000 40000000")))
                .hasMessage("w.txt: line 6: replace: 2.0 (expected: from 0 to 1)");
        assertThatThrownBy(() -> read(written.replace("expert gsm8k bf000000 0", "expert math bf000000 0")))
                .hasMessage("w.txt: line 6: expert 'math' (expected: 'gsm8k', in the order of 'experts')");
        assertThat(read.weights()).containsExactly(weights);
        assertThatThrownBy(() -> read(written.replace("w 3 0 3e800000 0 0 0", "w 3 0 3e800000")))
                .hasMessageStartingWith("w.txt: line ").hasMessageContaining("expected 'w' and 6 values");
    }

    @Test
    void readsTheShippedWeights() {
        DifficultyModel model = DifficultyModel.shipped();

        assertThat(model.featurizer().buckets()).isEqualTo(1 << 15);
        assertThat(model.expertGroups()).containsExactly("mmlu", "gsm8k");
    }

    @Test
    void refusesWeightsOfOtherFeaturesOrOfTheEarlierScore() throws IOException {
        String good = write(DifficultyModel.of(List.of(), new float[] {0, 0.5f}, new float[Featurizer.DENSE.length], 0.5f, 6f, "x"));

        assertThatThrownBy(() -> read(good.replace("features " + Featurizer.fingerprint(), "features 3-000000000000")))
                .hasMessage("w.txt: line 3: features: '3-000000000000' (expected: '" + Featurizer.fingerprint()
                        + "', the features of this gateway; retrain the weights with its train-router)");
        assertThatThrownBy(() -> read("gearbox-difficulty 2\nbuckets 2\nexperts\n"))
                .hasMessageStartingWith("w.txt: line 1: 'gearbox-difficulty 2' weights are of an earlier score");
    }

    @Test
    void refusesAMalformedFileNamingItsLine() throws IOException {
        String good = write(DifficultyModel.of(List.of(), new float[] {0, 0.5f}, new float[Featurizer.DENSE.length], 0.5f, 6f, "x"));
        String[] lines = good.split("\n");

        assertThatThrownBy(() -> read("{\"not\": \"weights\"}\n"))
                .hasMessage("w.txt: line 1: expected 'gearbox-difficulty 3', found '{\"not\": \"weights\"}'");
        assertThatThrownBy(() -> read(""))
                .hasMessage("w.txt: line 1: expected 'gearbox-difficulty 3', found end of file");
        assertThatThrownBy(() -> read(good.replace("buckets 2", "buckets 3")))
                .hasMessage("w.txt: line 2: buckets: 3 (expected: a power of two from 2 to 2^22)");
        assertThatThrownBy(() -> read(good.replace("calibration 3f000000 40c00000", "calibration 3f000000 bf800000")))
                .hasMessage("w.txt: line 6: calibration slope: -1.0 (expected: > 0)");
        assertThatThrownBy(() -> read(good + "w 1 zz\n"))
                .hasMessage("w.txt: line " + (lines.length + 1) + ": index 1 (expected: ascending, from 2 to 1)");
        assertThatThrownBy(() -> read(good.replace("w 1 3f000000", "w 1 zz")))
                .hasMessage("w.txt: line " + lines.length + ": 'zz' (expected: the hex bits of a float, such as 3f800000)");
        assertThatThrownBy(() -> read(good.replace("w 1 3f000000", "w 1 7fc00000")))
                .hasMessage("w.txt: line " + lines.length + ": '7fc00000' is not a finite number");
        assertThatThrownBy(() -> read(good.replace("w 1 3f000000", "w 1 3f000000 3f000000")))
                .hasMessage("w.txt: line " + lines.length + ": expected 'w' and 2 values, found 'w 1 3f000000 3f000000'");
        assertThatThrownBy(() -> read(good.replace("dense log_chars", "dense log_letters")))
                .hasMessage("w.txt: line 8: dense feature 'log_letters' (expected: 'log_chars')");
        assertThatThrownBy(() -> read(String.join("\n", java.util.Arrays.copyOf(lines, 7))))
                .hasMessage("w.txt: line 8: unexpected end of file (expected 'dense ...')");
    }

    private static String write(DifficultyModel model) throws IOException {
        StringWriter out = new StringWriter();
        WeightsFormat.write(model, out);
        return out.toString();
    }

    private static DifficultyModel read(String text) {
        return WeightsFormat.read("w.txt", new BufferedReader(new StringReader(text)));
    }
}
