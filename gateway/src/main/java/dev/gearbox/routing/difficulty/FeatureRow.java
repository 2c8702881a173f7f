package dev.gearbox.routing.difficulty;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * The features of one conversation as the {@link Featurizer} counts them: for each hashed bucket it touched,
 * how many words and character 4-grams fell in it, the totals, the dense features, and the message's length.
 * It trains and scores as the text it came from does (the trainer's row is the same numbers), but it is not
 * the text: this is what the quality log keeps of a request for learning when its text may not be kept.
 * Not anonymous either: whoever has the featurizer can test whether a given word or phrase occurred.
 *
 * <p>{@link #encode()} writes it as one ASCII token, {@code f1.<features>.<buckets>.<length>.<words>.<chars>.
 * <sparse>.<dense>}: the featurizer's fingerprint, then base64url of the touched buckets as varints (the gap
 * to the previous bucket, the 4-gram count and whether a word fell in it, the word count beyond one) and of
 * the dense features that are not 0 (the gap, the 32-bit float), about four characters per touched bucket:
 * five to seven times the message's length. Immutable.
 */
public final class FeatureRow implements Prompt {

    private static final String FORMAT = "f1";

    private final String features;
    private final int buckets;
    private final int length;
    private final int words;
    private final int chars;
    private final int[] index;
    private final int[] wordCounts;
    private final int[] charCounts;
    private final float[] dense;

    private FeatureRow(String features, int buckets, int length, int words, int chars, int[] index, int[] wordCounts,
                       int[] charCounts, float[] dense) {
        this.features = features;
        this.buckets = buckets;
        this.length = length;
        this.words = words;
        this.chars = chars;
        this.index = index;
        this.wordCounts = wordCounts;
        this.charCounts = charCounts;
        this.dense = dense;
    }

    /** The features of a conversation, counted by {@code featurizer}. */
    public static FeatureRow of(Featurizer featurizer, Conversation conversation) {
        Builder builder = new Builder(featurizer.buckets());
        featurizer.features(conversation.lastUserMessage(), conversation.turns(), conversation.tools(),
                conversation.systemChars(), builder);
        return builder.row(conversation.length());
    }

    /** The fingerprint of the features ({@link Featurizer#fingerprint()}); rows of another are not comparable. */
    public String features() {
        return features;
    }

    public int buckets() {
        return buckets;
    }

    @Override
    public int length() {
        return length;
    }

    /**
     * The row as the trainer holds it: the touched buckets, then the dense features at {@code buckets + i}; an
     * n-gram bucket's value is its count over the square root of its kind's total, as the score weighs it.
     */
    public int[] columns() {
        int[] out = Arrays.copyOf(index, index.length + dense.length);
        for (int d = 0; d < dense.length; d++) {
            out[index.length + d] = buckets + d;
        }
        return out;
    }

    /** The values of {@link #columns()}, in their order. */
    public float[] values() {
        double wordScale = words == 0 ? 0 : 1 / Math.sqrt(words);
        double charScale = chars == 0 ? 0 : 1 / Math.sqrt(chars);
        float[] out = new float[index.length + dense.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = (float) (wordCounts[i] * wordScale + charCounts[i] * charScale);
        }
        System.arraycopy(dense, 0, out, index.length, dense.length);
        return out;
    }

    /** The compact ASCII form, which {@link #decode} reads back to an equal row. */
    public String encode() {
        ByteArrayOutputStream sparse = new ByteArrayOutputStream(index.length * 3 + 8);
        int previous = 0;
        for (int i = 0; i < index.length; i++) {
            varint(sparse, index[i] - previous);
            // Most buckets hold a word once or not at all: that and the 4-gram count share a byte.
            varint(sparse, charCounts[i] << 1 | (wordCounts[i] > 0 ? 1 : 0));
            if (wordCounts[i] > 0) {
                varint(sparse, wordCounts[i] - 1);
            }
            previous = index[i];
        }
        // Most signals are absent from a prompt: only the dense features that are not 0, each after its gap.
        ByteArrayOutputStream floats = new ByteArrayOutputStream(Featurizer.DENSE.length * 2);
        int last = -1;
        for (int d = 0; d < dense.length; d++) {
            if (dense[d] != 0f) {
                varint(floats, d - last - 1);
                int bits = Float.floatToIntBits(dense[d]);
                for (int shift = 24; shift >= 0; shift -= 8) {
                    floats.write(bits >>> shift);
                }
                last = d;
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return FORMAT + "." + features + "." + buckets + "." + length + "." + words + "." + chars + "."
                + b64.encodeToString(sparse.toByteArray()) + "." + b64.encodeToString(floats.toByteArray());
    }

    /**
     * Reads {@link #encode()}'s form; throws {@link IllegalArgumentException} saying what is wrong with it, and
     * when it holds the features of another featurizer than this gateway's.
     */
    public static FeatureRow decode(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 8 || !parts[0].equals(FORMAT)) {
            throw new IllegalArgumentException("features: not a feature row (expected: " + FORMAT
                    + ".<features>.<buckets>.<length>.<words>.<chars>.<sparse>.<dense>)");
        }
        if (!parts[1].equals(Featurizer.fingerprint())) {
            throw new IllegalArgumentException("features: counted by featurizer " + parts[1] + " (expected: "
                    + Featurizer.fingerprint() + ", this gateway's; rows of other features cannot be trained on)");
        }
        int buckets = count(parts[2], "buckets");
        if (buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("features: buckets " + buckets + " (expected: a power of two >= 2)");
        }
        int length = count(parts[3], "length");
        int words = count(parts[4], "words");
        int chars = count(parts[5], "chars");
        byte[] sparse;
        byte[] floats;
        try {
            sparse = Base64.getUrlDecoder().decode(parts[6]);
            floats = Base64.getUrlDecoder().decode(parts[7]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("features: not base64url (" + e.getMessage() + ")");
        }
        int[] at = {0};
        int n = 0;
        int[] index = new int[16];
        int[] wordCounts = new int[16];
        int[] charCounts = new int[16];
        int previous = 0;
        long wordSum = 0;
        long charSum = 0;
        while (at[0] < sparse.length) {
            int gap = readVarint(sparse, at);
            int bucket = previous + gap;
            if ((n > 0 && gap == 0) || bucket >= buckets || bucket < 0) {
                throw new IllegalArgumentException("features: bucket " + bucket + " out of order or range (expected: "
                        + "rising, below " + buckets + ")");
            }
            if (n == index.length) {
                index = Arrays.copyOf(index, n * 2);
                wordCounts = Arrays.copyOf(wordCounts, n * 2);
                charCounts = Arrays.copyOf(charCounts, n * 2);
            }
            index[n] = bucket;
            int counts = readVarint(sparse, at);
            charCounts[n] = counts >>> 1;
            wordCounts[n] = (counts & 1) == 0 ? 0 : readVarint(sparse, at) + 1;
            if ((counts & 1) != 0 && wordCounts[n] <= 0) {
                throw new IllegalArgumentException("features: a number in the sparse part is out of range");
            }
            wordSum += wordCounts[n];
            charSum += charCounts[n];
            previous = bucket;
            n++;
        }
        if (wordSum != words || charSum != chars) {
            throw new IllegalArgumentException("features: counts add up to " + wordSum + " words and " + charSum
                    + " 4-grams (expected: " + words + " and " + chars + ")");
        }
        float[] dense = new float[Featurizer.DENSE.length];
        at[0] = 0;
        int d = -1;
        while (at[0] < floats.length) {
            d += readVarint(floats, at) + 1;
            if (d >= dense.length || at[0] + 4 > floats.length) {
                throw new IllegalArgumentException("features: the dense part does not hold " + Featurizer.DENSE.length
                        + " features of 4 bytes (expected: this gateway's " + Featurizer.DENSE.length + ")");
            }
            int bits = (floats[at[0]] & 0xFF) << 24 | (floats[at[0] + 1] & 0xFF) << 16 | (floats[at[0] + 2] & 0xFF) << 8
                    | (floats[at[0] + 3] & 0xFF);
            at[0] += 4;
            dense[d] = Float.intBitsToFloat(bits);
            if (!Float.isFinite(dense[d])) {
                throw new IllegalArgumentException("features: dense feature " + Featurizer.DENSE[d] + " is " + dense[d]
                        + " (expected: a finite number)");
            }
        }
        return new FeatureRow(parts[1], buckets, length, words, chars, Arrays.copyOf(index, n),
                Arrays.copyOf(wordCounts, n), Arrays.copyOf(charCounts, n), dense);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRow r && r.features.equals(features) && r.buckets == buckets && r.length == length
                && r.words == words && r.chars == chars && Arrays.equals(r.index, index)
                && Arrays.equals(r.wordCounts, wordCounts) && Arrays.equals(r.charCounts, charCounts)
                && Arrays.equals(r.dense, dense);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(index) + Arrays.hashCode(dense);
    }

    @Override
    public String toString() {
        return "FeatureRow[" + index.length + " buckets of " + buckets + ", length " + length + "]";
    }

    /**
     * Counts the features of one conversation after another, reusing its arrays: {@link #reset()} between
     * conversations. The trainer counts its whole corpus with one.
     */
    public static final class Builder implements Featurizer.Sink {
        private final int buckets;
        private final int[] wordCounts;
        private final int[] charCounts;
        private final float[] dense = new float[Featurizer.DENSE.length];
        private int[] touched = new int[1024];
        private int touchedCount;
        private int words;
        private int chars;

        public Builder(int buckets) {
            this.buckets = buckets;
            this.wordCounts = new int[buckets];
            this.charCounts = new int[buckets];
        }

        public void reset() {
            for (int i = 0; i < touchedCount; i++) {
                wordCounts[touched[i]] = 0;
                charCounts[touched[i]] = 0;
            }
            touchedCount = 0;
            words = 0;
            chars = 0;
            Arrays.fill(dense, 0f);
        }

        @Override
        public void word(int bucket, int start, int end) {
            touch(bucket);
            wordCounts[bucket]++;
            words++;
        }

        @Override
        public void chars(int bucket, int end) {
            touch(bucket);
            charCounts[bucket]++;
            chars++;
        }

        @Override
        public void dense(int index, float value) {
            dense[index] = value;
        }

        private void touch(int bucket) {
            if (wordCounts[bucket] == 0 && charCounts[bucket] == 0) {
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = bucket;
            }
        }

        /** The row counted since the last reset, of a message {@code length} characters long. */
        public FeatureRow row(int length) {
            int[] index = Arrays.copyOf(touched, touchedCount);
            Arrays.sort(index);
            int[] w = new int[index.length];
            int[] c = new int[index.length];
            for (int i = 0; i < index.length; i++) {
                w[i] = wordCounts[index[i]];
                c[i] = charCounts[index[i]];
            }
            return new FeatureRow(Featurizer.fingerprint(), buckets, length, words, chars, index, w, c, dense.clone());
        }
    }

    private static int count(String text, String field) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException("features: " + field + " '" + text + "' (expected: a whole number >= 0)");
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(byte[] in, int[] at) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (at[0] >= in.length) {
                throw new IllegalArgumentException("features: the sparse part ends inside a number");
            }
            byte b = in[at[0]++];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    break;
                }
                return value;
            }
        }
        throw new IllegalArgumentException("features: a number in the sparse part is out of range");
    }
}
