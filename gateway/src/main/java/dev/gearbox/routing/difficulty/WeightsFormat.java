package dev.gearbox.routing.difficulty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The text form of a {@link DifficultyModel}: a header, the structural weights, the quantile knots, then
 * one line per non-zero hashed weight. Floats are written as the hex of their bits, so a file written and
 * read back is the same model bit for bit, and a trainer run twice writes the same bytes.
 *
 * <pre>
 * gearbox-difficulty 1
 * buckets 262144
 * trained ridge lambda=3 ...
 * dense bias 3f800000
 * knots bf1a0000 ... (101 values)
 * w 17 3c23d70a
 * </pre>
 *
 * <p>A model with experts is written as version 2: an {@code experts} line naming the groups after
 * {@code buckets}, and every {@code dense} and {@code w} line holding one value per head (shared, the
 * experts, the gates), a {@code w} line wherever one of them is non-zero.
 */
public final class WeightsFormat {

    static final String MAGIC = "gearbox-difficulty 1";
    static final String MAGIC_2 = "gearbox-difficulty 2";

    private WeightsFormat() {
    }

    public static void write(DifficultyModel model, Writer out) throws IOException {
        int heads = model.heads();
        out.write((heads == 1 ? MAGIC : MAGIC_2) + "\n");
        out.write("buckets " + model.weights().length / heads + "\n");
        if (heads > 1) {
            StringBuilder experts = new StringBuilder("experts");
            for (String e : model.experts()) {
                experts.append(' ').append(e);
            }
            out.write(experts.append('\n').toString());
        }
        out.write("trained " + model.description() + "\n");
        StringBuilder line = new StringBuilder(32 + 9 * heads);
        for (int i = 0; i < Featurizer.DENSE.length; i++) {
            line.setLength(0);
            line.append("dense ").append(Featurizer.DENSE[i]);
            for (int k = 0; k < heads; k++) {
                line.append(' ').append(hex(model.dense()[i * heads + k]));
            }
            out.write(line.append('\n').toString());
        }
        StringBuilder knots = new StringBuilder("knots");
        for (float k : model.knots()) {
            knots.append(' ').append(hex(k));
        }
        out.write(knots.append('\n').toString());
        float[] w = model.weights();
        for (int b = 0; b < w.length / heads; b++) {
            boolean any = false;
            for (int k = 0; k < heads; k++) {
                any |= w[b * heads + k] != 0f;
            }
            if (any) {
                line.setLength(0);
                line.append("w ").append(b);
                for (int k = 0; k < heads; k++) {
                    line.append(' ').append(hex(w[b * heads + k]));
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    /**
     * Reads a model; a malformed file raises {@link WeightsException} naming {@code name} and the line.
     *
     * @param name the file's name, for messages
     */
    public static DifficultyModel read(String name, BufferedReader in) {
        int number = 0;
        try {
            String line = in.readLine();
            number++;
            if (!MAGIC.equals(line) && !MAGIC_2.equals(line)) {
                throw new WeightsException(name, number, "expected '" + MAGIC + "' or '" + MAGIC_2 + "', found " + quote(line));
            }
            boolean v2 = MAGIC_2.equals(line);
            number++;
            String[] buckets = fields(in.readLine(), "buckets", 2, name, number);
            int size = parseInt(buckets[1], name, number, "buckets");
            if (size < 2 || size > (1 << 24) || Integer.bitCount(size) != 1) {
                throw new WeightsException(name, number, "buckets: " + size + " (expected: a power of two from 2 to 2^24)");
            }
            java.util.List<String> experts = java.util.List.of();
            if (v2) {
                number++;
                line = in.readLine();
                if (line == null || !(line.equals("experts") || line.startsWith("experts "))) {
                    throw new WeightsException(name, number, "expected 'experts <group> ...', found " + quote(line));
                }
                experts = line.equals("experts") ? java.util.List.of()
                        : java.util.List.of(line.substring("experts ".length()).split(" "));
                if (experts.size() > 8) {
                    throw new WeightsException(name, number, "experts: " + experts.size() + " (expected: at most 8)");
                }
            }
            int heads = 1 + 2 * experts.size();
            number++;
            line = in.readLine();
            if (line == null || !line.startsWith("trained ")) {
                throw new WeightsException(name, number, "expected 'trained <how>', found " + quote(line));
            }
            String description = line.substring("trained ".length());
            float[] dense = new float[Featurizer.DENSE.length * heads];
            for (int i = 0; i < Featurizer.DENSE.length; i++) {
                number++;
                String[] f = fields(in.readLine(), "dense", 2 + heads, name, number);
                if (!f[1].equals(Featurizer.DENSE[i])) {
                    throw new WeightsException(name, number, "dense feature '" + f[1] + "' (expected: '" + Featurizer.DENSE[i] + "')");
                }
                for (int k = 0; k < heads; k++) {
                    dense[i * heads + k] = parseFloat(f[2 + k], name, number);
                }
            }
            number++;
            String[] k = fields(in.readLine(), "knots", DifficultyModel.KNOTS + 1, name, number);
            float[] knots = new float[DifficultyModel.KNOTS];
            for (int i = 0; i < knots.length; i++) {
                knots[i] = parseFloat(k[i + 1], name, number);
                if (i > 0 && !(knots[i] >= knots[i - 1])) {
                    throw new WeightsException(name, number, "knot " + i + " is below knot " + (i - 1) + " (expected: non-decreasing)");
                }
            }
            float[] weights = new float[size * heads];
            int last = -1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                // One split per weight line would double the load time of the shipped weights; the fast path
                // reads "w INDEX HEX" in place, and anything else goes through the checks that name the problem.
                int space = line.indexOf(' ', 2);
                String[] f = heads == 1 && line.startsWith("w ") && space > 2 && line.indexOf(' ', space + 1) < 0
                        ? new String[] {"w", line.substring(2, space), line.substring(space + 1)}
                        : fields(line, "w", 2 + heads, name, number);
                int index = parseInt(f[1], name, number, "index");
                if (index <= last || index >= size) {
                    throw new WeightsException(name, number, "index " + index + " (expected: ascending, from " + (last + 1)
                            + " to " + (size - 1) + ")");
                }
                for (int h = 0; h < heads; h++) {
                    weights[index * heads + h] = parseFloat(f[2 + h], name, number);
                }
                last = index;
            }
            return DifficultyModel.of(experts, weights, dense, knots, description);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    static String hex(float f) {
        return Integer.toHexString(Float.floatToRawIntBits(f));
    }

    private static String[] fields(String line, String key, int count, String name, int number) {
        if (line == null) {
            throw new WeightsException(name, number, "unexpected end of file (expected '" + key + " ...')");
        }
        String[] f = line.split(" ");
        if (!f[0].equals(key) || f.length != count) {
            throw new WeightsException(name, number, "expected '" + key + "' and " + (count - 1) + " values, found "
                    + quote(line.length() > 60 ? line.substring(0, 60) + "..." : line));
        }
        return f;
    }

    private static int parseInt(String s, String name, int number, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WeightsException(name, number, what + ": '" + s + "' (expected: an integer)");
        }
    }

    private static float parseFloat(String s, String name, int number) {
        try {
            float f = Float.intBitsToFloat(Integer.parseUnsignedInt(s, 16));
            if (!Float.isFinite(f)) {
                throw new WeightsException(name, number, "'" + s + "' is not a finite number");
            }
            return f;
        } catch (NumberFormatException e) {
            throw new WeightsException(name, number, "'" + s + "' (expected: the hex bits of a float, such as 3f800000)");
        }
    }

    private static String quote(String line) {
        return line == null ? "end of file" : "'" + line + "'";
    }

}
