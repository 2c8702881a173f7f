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
 */
public final class WeightsFormat {

    static final String MAGIC = "gearbox-difficulty 1";

    private WeightsFormat() {
    }

    public static void write(DifficultyModel model, Writer out) throws IOException {
        out.write(MAGIC + "\n");
        out.write("buckets " + model.weights().length + "\n");
        out.write("trained " + model.description() + "\n");
        for (int i = 0; i < Featurizer.DENSE.length; i++) {
            out.write("dense " + Featurizer.DENSE[i] + " " + hex(model.dense()[i]) + "\n");
        }
        StringBuilder knots = new StringBuilder("knots");
        for (float k : model.knots()) {
            knots.append(' ').append(hex(k));
        }
        out.write(knots.append('\n').toString());
        float[] w = model.weights();
        StringBuilder line = new StringBuilder(32);
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0f) {
                line.setLength(0);
                out.write(line.append("w ").append(i).append(' ').append(hex(w[i])).append('\n').toString());
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
            if (!MAGIC.equals(line)) {
                throw new WeightsException(name, number, "expected '" + MAGIC + "', found " + quote(line));
            }
            number++;
            String[] buckets = fields(in.readLine(), "buckets", 2, name, number);
            int size = parseInt(buckets[1], name, number, "buckets");
            if (size < 2 || size > (1 << 24) || Integer.bitCount(size) != 1) {
                throw new WeightsException(name, number, "buckets: " + size + " (expected: a power of two from 2 to 2^24)");
            }
            number++;
            line = in.readLine();
            if (line == null || !line.startsWith("trained ")) {
                throw new WeightsException(name, number, "expected 'trained <how>', found " + quote(line));
            }
            String description = line.substring("trained ".length());
            float[] dense = new float[Featurizer.DENSE.length];
            for (int i = 0; i < dense.length; i++) {
                number++;
                String[] f = fields(in.readLine(), "dense", 3, name, number);
                if (!f[1].equals(Featurizer.DENSE[i])) {
                    throw new WeightsException(name, number, "dense feature '" + f[1] + "' (expected: '" + Featurizer.DENSE[i] + "')");
                }
                dense[i] = parseFloat(f[2], name, number);
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
            float[] weights = new float[size];
            int last = -1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                // One split per weight line would double the load time of the shipped weights; the fast path
                // reads "w INDEX HEX" in place, and anything else goes through the checks that name the problem.
                int space = line.indexOf(' ', 2);
                String[] f = line.startsWith("w ") && space > 2 && line.indexOf(' ', space + 1) < 0
                        ? new String[] {"w", line.substring(2, space), line.substring(space + 1)}
                        : fields(line, "w", 3, name, number);
                int index = parseInt(f[1], name, number, "index");
                if (index <= last || index >= size) {
                    throw new WeightsException(name, number, "index " + index + " (expected: ascending, from " + (last + 1)
                            + " to " + (size - 1) + ")");
                }
                weights[index] = parseFloat(f[2], name, number);
                last = index;
            }
            return DifficultyModel.of(weights, dense, knots, description);
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
