package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class WeightsFormatTest {

    @Test
    void readsBackWhatItWroteBitForBit() throws IOException {
        float[] weights = new float[16];
        weights[3] = 0.1f;
        weights[15] = -Float.MIN_VALUE;
        float[] dense = new float[Featurizer.DENSE.length];
        dense[0] = 1e-30f;
        float[] knots = new float[DifficultyModel.KNOTS];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = i / 7f;
        }
        String written = write(DifficultyModel.of(weights, dense, knots, "test run"));

        DifficultyModel read = read(written);

        assertThat(write(read)).isEqualTo(written);
        assertThat(read.weights()).containsExactly(weights);
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
        String written = write(DifficultyModel.of(java.util.List.of("mmlu", "gsm8k"), weights, dense,
                new float[DifficultyModel.KNOTS], "two experts"));

        DifficultyModel read = read(written);

        assertThat(write(read)).isEqualTo(written);
        assertThat(written).startsWith("gearbox-difficulty 2\nbuckets 8\nexperts mmlu gsm8k\n").contains("\nw 3 0 3e800000 0 0 0\n");
        assertThat(read.experts()).containsExactly("mmlu", "gsm8k");
        assertThat(read.weights()).containsExactly(weights);
        assertThatThrownBy(() -> read(written.replace("w 3 0 3e800000 0 0 0", "w 3 0 3e800000")))
                .hasMessageStartingWith("w.txt: line ").hasMessageContaining("expected 'w' and 6 values");
    }

    @Test
    void readsTheShippedWeightsFast() {
        long start = System.nanoTime();
        DifficultyModel model = DifficultyModel.shipped();

        assertThat(model.featurizer().buckets()).isEqualTo(1 << 15);
        assertThat(model.experts()).containsExactly("mmlu");
        assertThat(System.nanoTime() - start).as("load time, ns").isLessThan(3_000_000_000L);
    }

    @Test
    void refusesAMalformedFileNamingItsLine() throws IOException {
        String good = write(DifficultyModel.of(new float[] {0, 0.5f}, new float[Featurizer.DENSE.length],
                new float[DifficultyModel.KNOTS], "x"));
        String[] lines = good.split("\n");
        int knotsLine = 4 + Featurizer.DENSE.length;

        assertThatThrownBy(() -> read("gearbox-difficulty 3\n"))
                .hasMessage("w.txt: line 1: expected 'gearbox-difficulty 1' or 'gearbox-difficulty 2', found 'gearbox-difficulty 3'");
        assertThatThrownBy(() -> read(good.replace("buckets 2", "buckets 3")))
                .hasMessage("w.txt: line 2: buckets: 3 (expected: a power of two from 2 to 2^24)");
        assertThatThrownBy(() -> read(good.replace(lines[knotsLine - 1], "knots 0 1")))
                .hasMessageStartingWith("w.txt: line " + knotsLine + ": expected 'knots' and 101 values");
        assertThatThrownBy(() -> read(good + "w 1 zz\n"))
                .hasMessage("w.txt: line " + (lines.length + 1) + ": index 1 (expected: ascending, from 2 to 1)");
        assertThatThrownBy(() -> read(good.replace("w 1 3f000000", "w 1 zz")))
                .hasMessage("w.txt: line " + lines.length + ": 'zz' (expected: the hex bits of a float, such as 3f800000)");
        assertThatThrownBy(() -> read(good.replace("w 1 3f000000", "w 1 7fc00000")))
                .hasMessage("w.txt: line " + lines.length + ": '7fc00000' is not a finite number");
        assertThatThrownBy(() -> read(String.join("\n", java.util.Arrays.copyOf(lines, 5))))
                .hasMessage("w.txt: line 6: unexpected end of file (expected 'dense ...')");
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
