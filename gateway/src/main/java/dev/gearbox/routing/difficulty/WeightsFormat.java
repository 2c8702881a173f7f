package dev.gearbox.routing.difficulty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * The text form of a {@link DifficultyModel}: a header, the calibration, the dense weights, then one line
 * per hashed bucket with a non-zero weight. Floats are written as the hex of their bits, so a file written
 * and read back is the same model bit for bit, and a trainer run twice writes the same bytes.
 *
 * <pre>
 * gearbox-difficulty 3
 * buckets 32768
 * features 3-1a2b3c4d5e6f
 * experts mmlu gsm8k
 * expert mmlu 3f0ccccd 3f800000
 * expert gsm8k 3f400000 0
 * trained ridge ...
 * calibration 3f000000 40c00000
 * dense bias 3e4ccccd 0 0 0 0
 * w 17 3c23d70a 0 0 0 0
 * </pre>
 *
 * <p>Each {@code expert} line gives an expert's anchor and how much of the shared head it replaces
 * ({@link Expert}). Every {@code dense} and {@code w} line holds one value per head: the shared head, the
 * experts, the gates. {@code features} names the features the weights were trained on ({@link Featurizer#fingerprint()}):
 * weights of other features are refused rather than scored wrongly. Files are read as an operator's
 * input: every problem is a {@link WeightsException} naming the file and line.
 */
public final class WeightsFormat {

    static final String MAGIC = "gearbox-difficulty 3";

    private WeightsFormat() {
    }

    public static void write(DifficultyModel model, Writer out) throws IOException {
        int heads = model.heads();
        out.write(MAGIC + "\n");
        out.write("buckets " + model.weights().length / heads + "\n");
        out.write("features " + Featurizer.fingerprint() + "\n");
        StringBuilder experts = new StringBuilder("experts");
        for (Expert e : model.experts()) {
            experts.append(' ').append(e.group());
        }
        out.write(experts.append('\n').toString());
        for (Expert e : model.experts()) {
            out.write("expert " + e.group() + " " + hex(e.anchor()) + " " + hex(e.replace()) + "\n");
        }
        out.write("trained " + model.description() + "\n");
        out.write("calibration " + hex(model.center()) + " " + hex(model.slope()) + "\n");
        StringBuilder line = new StringBuilder(32 + 9 * heads);
        for (int i = 0; i < Featurizer.DENSE.length; i++) {
            line.setLength(0);
            line.append("dense ").append(Featurizer.DENSE[i]);
            for (int k = 0; k < heads; k++) {
                line.append(' ').append(hex(model.dense()[i * heads + k]));
            }
            out.write(line.append('\n').toString());
        }
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
     * Reads a model; a malformed file, or one trained on other features, raises {@link WeightsException}
     * naming {@code name} and the line.
     *
     * @param name the file's name, for messages
     */
    public static DifficultyModel read(String name, BufferedReader in) {
        int number = 1;
        try {
            String line = in.readLine();
            if (line != null && line.startsWith("gearbox-difficulty ") && !MAGIC.equals(line)) {
                throw new WeightsException(name, number, "'" + line + "' weights are of an earlier score, without the"
                        + " reasoning-need features (expected: '" + MAGIC + "'; retrain them with train-router)");
            }
            if (!MAGIC.equals(line)) {
                throw new WeightsException(name, number, "expected '" + MAGIC + "', found " + quote(line));
            }
            number++;
            String[] buckets = fields(in.readLine(), "buckets", 2, name, number);
            int size = parseInt(buckets[1], name, number, "buckets");
            if (size < 2 || size > (1 << 22) || Integer.bitCount(size) != 1) {
                throw new WeightsException(name, number, "buckets: " + size + " (expected: a power of two from 2 to 2^22)");
            }
            number++;
            String[] features = fields(in.readLine(), "features", 2, name, number);
            String expected = Featurizer.fingerprint();
            if (!features[1].equals(expected)) {
                throw new WeightsException(name, number, "features: '" + features[1] + "' (expected: '" + expected
                        + "', the features of this gateway; retrain the weights with its train-router)");
            }
            number++;
            line = in.readLine();
            if (line == null || !(line.equals("experts") || line.startsWith("experts "))) {
                throw new WeightsException(name, number, "expected 'experts <group> ...', found " + quote(line));
            }
            List<String> groups = line.equals("experts") ? List.of() : List.of(line.substring("experts ".length()).split(" "));
            if (groups.size() > 8) {
                throw new WeightsException(name, number, "experts: " + groups.size() + " (expected: at most 8)");
            }
            List<Expert> experts = new java.util.ArrayList<>();
            for (String group : groups) {
                number++;
                String[] f = fields(in.readLine(), "expert", 4, name, number);
                if (!f[1].equals(group)) {
                    throw new WeightsException(name, number, "expert '" + f[1] + "' (expected: '" + group + "', in the order of 'experts')");
                }
                try {
                    experts.add(new Expert(group, parseFloat(f[2], name, number), parseFloat(f[3], name, number)));
                } catch (IllegalArgumentException e) {
                    throw new WeightsException(name, number, e.getMessage());
                }
            }
            int heads = 1 + 2 * experts.size();
            if ((long) size * heads > DifficultyModel.MAX_VALUES) {
                throw new WeightsException(name, number, "buckets × heads: " + (long) size * heads + " (expected: at most "
                        + DifficultyModel.MAX_VALUES + ")");
            }
            number++;
            line = in.readLine();
            if (line == null || !line.startsWith("trained ")) {
                throw new WeightsException(name, number, "expected 'trained <how>', found " + quote(line));
            }
            String description = line.substring("trained ".length());
            number++;
            String[] calibration = fields(in.readLine(), "calibration", 3, name, number);
            float center = parseFloat(calibration[1], name, number);
            float slope = parseFloat(calibration[2], name, number);
            if (!(slope > 0)) {
                throw new WeightsException(name, number, "calibration slope: " + slope + " (expected: > 0)");
            }
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
            float[] weights = new float[size * heads];
            int last = -1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                // One split per weight line would double the load time of the shipped weights; the fast path
                // reads "w INDEX HEX..." in place, and anything else goes through the checks that name the problem.
                String[] f = line.startsWith("w ") ? splitWeights(line, heads) : null;
                if (f == null) {
                    f = fields(line, "w", 2 + heads, name, number);
                }
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
            return DifficultyModel.of(experts, weights, dense, center, slope, description);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    /** "w INDEX HEX..." as its fields when it has exactly {@code heads} values, else null. */
    private static String[] splitWeights(String line, int heads) {
        String[] f = new String[2 + heads];
        f[0] = "w";
        int from = 2;
        for (int k = 1; k < f.length; k++) {
            int space = line.indexOf(' ', from);
            boolean lastField = k == f.length - 1;
            if (lastField != (space < 0) || (space >= 0 ? space : line.length()) == from) {
                return null;
            }
            f[k] = line.substring(from, lastField ? line.length() : space);
            from = space + 1;
        }
        return f;
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
            throw new WeightsException(name, number, "'" + (s.length() > 20 ? s.substring(0, 20) + "..." : s)
                    + "' (expected: the hex bits of a float, such as 3f800000)");
        }
    }

    private static String quote(String line) {
        return line == null ? "end of file" : "'" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'";
    }
}
