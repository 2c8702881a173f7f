package dev.gearbox.routing.difficulty;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a conversation into the features the difficulty model weighs: hashed words and character
 * 4-grams, the signals of the {@link Lexicon} (how often each kind of word occurs, and whether it occurs
 * in the ask), the shape of the text (equations, LaTeX, complexity notation, code lines, stack frames,
 * list items), and a few measures of the conversation (length, turns, tools, system prompt).
 *
 * <p>One pass over the last user message, or over its first {@link #HEAD_CHARS} and last
 * {@link #TAIL_CHARS} characters when it is longer, since the ask of a long prompt is usually at its start
 * or its end; the rest counts only for its length, so a huge prompt costs no more. The features go to a
 * {@link Sink}, which the scorer sums into a dot product, the trainer collects into a sparse row, and
 * explain records. Letters are lower-cased and digits read as {@code 0}, so "17 apples" and "42 apples"
 * share their n-grams. Stateless and thread-safe.
 */
public final class Featurizer {

    /** Changes whenever a feature is computed differently; part of {@link #fingerprint()}. */
    static final int VERSION = 4;

    /** Characters of the message looked at, at most. */
    public static final int SCAN_CHARS = 4096;
    static final int HEAD_CHARS = 3072;
    static final int TAIL_CHARS = SCAN_CHARS - HEAD_CHARS - 1;

    /** Words at the start, and at the end, of a message that make up its ask. */
    static final int ASK_HEAD_WORDS = 48;
    static final int ASK_TAIL_WORDS = 32;

    // Before anything that hashes a word, as the lexicon does when it loads.
    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte DIGIT = 2;
    static final byte SPACE = 3;
    static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = Character.isLetter(c) ? LETTER : c >= '0' && c <= '9' ? DIGIT : Character.isWhitespace(c) ? SPACE : OTHER;
        }
    }

    private static final String[] SHAPE = {"bias", "log_chars", "log_words", "log_numbers", "log_operators",
            "log_questions", "log_lines", "log_code", "non_latin", "log_turns", "tools", "log_system_chars",
            "latex", "math_symbols", "variables", "equations", "complexity", "code_lines", "stack_frames",
            "list_items", "fences", "sentences", "first_line_share", "log_first_line"};

    /** Where the signals' features start in {@link #DENSE}: two per signal, its count and whether it is in the ask. */
    static final int SIGNALS_AT = SHAPE.length;

    /** The dense features, in the order of their weights. */
    public static final String[] DENSE = denseNames(Lexicon.shipped());

    static final long WORD_SEED = 0x9E3779B97F4A7C15L;
    static final long CHAR_SEED = 0xC2B2AE3D27D4EB4FL;
    static final long FIRST_SEED = 0x165667B19E3779F9L;
    static final int FNV_BASIS = 0x811C9DC5;
    static final int FNV_PRIME = 0x01000193;

    private final int buckets;
    private final int shift;
    private final Lexicon lexicon;

    private Featurizer(int buckets, Lexicon lexicon) {
        this.buckets = buckets;
        this.shift = 64 - Integer.numberOfTrailingZeros(buckets);
        this.lexicon = lexicon;
    }

    /** @param buckets the size of the hashed feature space, a power of two */
    public static Featurizer of(int buckets) {
        if (buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets: " + buckets + " (expected: a power of two >= 2)");
        }
        return new Featurizer(buckets, Lexicon.shipped());
    }

    public int buckets() {
        return buckets;
    }

    public Lexicon lexicon() {
        return lexicon;
    }

    /**
     * Names what these features are: the featurizer's version and its lexicon's fingerprint. Weights are
     * only meaningful with the features they were trained on, so a weights file records this and is refused
     * by a gateway whose features differ.
     */
    public static String fingerprint() {
        return VERSION + "-" + Lexicon.shipped().fingerprint();
    }

    /** Receives the features of one conversation. */
    public interface Sink {
        /** One occurrence of a hashed word (a run of letters or digits, or one punctuation mark) at [start, end) of the scanned text. */
        void word(int bucket, int start, int end);

        /** One occurrence of a hashed character 4-gram ending at {@code end} of the scanned text. */
        void chars(int bucket, int end);

        /** A dense feature, by its index in {@link #DENSE}; called once each, after the n-grams. */
        void dense(int index, float value);

        /** The text the positions refer to: the message, or its head and tail when it is long. */
        default void scanned(CharSequence text) {
        }

        /** A word or phrase of signal {@code index} at [start, end) of the scanned text. */
        default void signal(int index, int start, int end) {
        }
    }

    /**
     * @param text the last user message
     * @param turns the number of messages in the conversation
     * @param tools whether the request offers tools
     * @param systemChars the length of the system prompt
     */
    public void features(CharSequence text, int turns, boolean tools, int systemChars, Sink sink) {
        CharSequence scan = text.length() <= SCAN_CHARS ? text
                : new StringBuilder(SCAN_CHARS).append(text, 0, HEAD_CHARS).append('\n')
                        .append(text, text.length() - TAIL_CHARS, text.length()).toString();
        sink.scanned(scan);
        FeaturePass pass = new FeaturePass(this, lexicon);
        pass.run(scan, sink);
        sink.dense(0, 1f);
        sink.dense(1, log(text.length()));
        sink.dense(2, log(pass.words));
        sink.dense(3, log(pass.numbers));
        sink.dense(4, log(pass.operators));
        sink.dense(5, log(pass.questions));
        sink.dense(6, log(pass.lines));
        sink.dense(7, log(pass.code));
        sink.dense(8, pass.letters == 0 ? 0f : (float) pass.nonLatin / pass.letters);
        sink.dense(9, log(Math.max(0, turns - 1)));
        sink.dense(10, tools ? 1f : 0f);
        sink.dense(11, log(systemChars));
        sink.dense(12, log(pass.latex));
        sink.dense(13, log(pass.mathSymbols));
        sink.dense(14, log(pass.variables));
        sink.dense(15, log(pass.equations));
        sink.dense(16, log(pass.complexity));
        sink.dense(17, log(pass.codeLines));
        sink.dense(18, log(pass.stackFrames));
        sink.dense(19, log(pass.listItems));
        sink.dense(20, log(pass.fences));
        sink.dense(21, log(pass.sentences));
        int firstLine = pass.firstLine < 0 ? scan.length() : pass.firstLine;
        sink.dense(22, scan.length() == 0 ? 1f : (float) firstLine / scan.length());
        sink.dense(23, log(firstLine));
        int signals = lexicon.signals().size();
        for (int s = 0; s < signals; s++) {
            int count = pass.signalCount[s];
            boolean ask = count > 0 && (pass.signalFirst[s] < ASK_HEAD_WORDS || pass.signalLast[s] >= pass.alnumWords - ASK_TAIL_WORDS);
            sink.dense(SIGNALS_AT + 2 * s, log(count));
            sink.dense(SIGNALS_AT + 2 * s + 1, ask ? 1f : 0f);
        }
    }

    /** Chinese characters and Japanese kana, which are written without spaces between words. */
    static boolean isIdeograph(char c) {
        return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
    }

    /** The hashes of the words of a phrase, as the featurizer computes them; for the lexicon. */
    static int[] wordHashes(String phrase) {
        List<Integer> out = new ArrayList<>();
        int word = FNV_BASIS;
        int length = 0;
        for (int i = 0; i <= phrase.length(); i++) {
            char c = i < phrase.length() ? phrase.charAt(i) : ' ';
            char folded = c < 128 ? (ASCII[c] == LETTER ? (char) (c | 0x20) : ASCII[c] == DIGIT ? '0' : c)
                    : Character.isLetter(c) ? Character.toLowerCase(c) : c;
            boolean ideograph = c >= 128 && isIdeograph(c);
            if (ideograph && length > 0) {
                out.add(word);
                word = FNV_BASIS;
                length = 0;
            }
            if (c < 128 ? ASCII[c] == LETTER || ASCII[c] == DIGIT : Character.isLetterOrDigit(folded)) {
                word = (word ^ folded) * FNV_PRIME;
                length++;
                if (ideograph) {
                    out.add(word);
                    word = FNV_BASIS;
                    length = 0;
                }
            } else if (length > 0) {
                out.add(word);
                word = FNV_BASIS;
                length = 0;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String[] denseNames(Lexicon lexicon) {
        List<String> names = new ArrayList<>(List.of(SHAPE));
        for (Lexicon.Signal s : lexicon.signals()) {
            names.add(s.name());
            names.add(s.name() + "_ask");
        }
        return names.toArray(String[]::new);
    }

    /** Counts' features for the counts most prompts have: the same values, without a log per count. */
    private static final float[] LOGS = new float[1024];

    static {
        for (int i = 0; i < LOGS.length; i++) {
            LOGS[i] = (float) (StrictMath.log1p(i) / 4);
        }
    }

    private static float log(long count) {
        return count >= 0 && count < LOGS.length ? LOGS[(int) count] : (float) (StrictMath.log1p(count) / 4);
    }

    /**
     * Fibonacci hashing: one multiplication by 2^64/φ, then the top bits, which depend on every bit of the
     * input. It spreads n-grams over the buckets as well as MurmurHash3's finaliser did, at a third of its
     * cost, and it runs once per character.
     */
    int bucket(long x, long seed) {
        return (int) (((x ^ seed) * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
