package dev.gearbox.routing.difficulty;

/**
 * Turns a conversation into the features the difficulty model weighs: hashed words, hashed character
 * 4-grams, and a few structural measures (length, numbers, operators, code, questions,
 * non-Latin share, turns, tools).
 *
 * <p>One pass over at most {@link #SCAN_CHARS} characters of the last user message, with no allocation:
 * the features go to a {@link Sink}, which the scorer sums into a dot product and the trainer collects
 * into a sparse row. Letters are lower-cased and digits read as {@code 0}, so "17 apples" and "42 apples"
 * share their n-grams. Stateless and thread-safe.
 */
public final class Featurizer {

    /** Characters of the message looked at; the rest counts only for its length, so a huge prompt costs no more. */
    public static final int SCAN_CHARS = 4096;

    /** The structural features, in the order of their weights. */
    public static final String[] DENSE = {"bias", "log_chars", "log_words", "log_numbers", "log_operators",
            "log_questions", "log_lines", "log_code", "non_latin", "log_turns", "tools", "log_system_chars"};

    private static final int WORD_SEED = 0x9E3779B9;
    private static final int CHAR_SEED = 0xC2B2AE35;

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte SPACE = 3;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = Character.isLetter(c) ? LETTER : c >= '0' && c <= '9' ? DIGIT : Character.isWhitespace(c) ? SPACE : OTHER;
        }
    }

    private final int mask;

    private Featurizer(int buckets) {
        this.mask = buckets - 1;
    }

    /** @param buckets the size of the hashed feature space, a power of two */
    public static Featurizer of(int buckets) {
        if (buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets: " + buckets + " (expected: a power of two >= 2)");
        }
        return new Featurizer(buckets);
    }

    public int buckets() {
        return mask + 1;
    }

    /** Receives the features of one conversation. */
    public interface Sink {
        /** One occurrence of a hashed word (a run of letters or digits, or one punctuation mark). */
        void word(int bucket);

        /** One occurrence of a hashed character 4-gram. */
        void chars(int bucket);

        /** A structural feature, by its index in {@link #DENSE}; called once each, after the n-grams. */
        void dense(int index, float value);
    }

    /**
     * @param text the last user message
     * @param turns the number of messages in the conversation
     * @param tools whether the request offers tools
     * @param systemChars the length of the system prompt
     */
    public void features(CharSequence text, int turns, boolean tools, int systemChars, Sink sink) {
        int n = Math.min(text.length(), SCAN_CHARS);
        int words = 0;
        int numbers = 0;
        int operators = 0;
        int questions = 0;
        int lines = 0;
        int code = 0;
        int nonLatin = 0;
        int letters = 0;
        int word = 0x811C9DC5;
        int wordLength = 0;
        long window = 0;
        int windowLength = 0;
        boolean inNumber = false;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            char folded;
            boolean wordChar;
            if (c < 128) {
                // ASCII by table: the same classes as Character's methods give, at a fraction of the cost.
                byte kind = ASCII[c];
                wordChar = kind == LETTER || kind == DIGIT;
                if (kind == LETTER) {
                    folded = (char) (c | 0x20);
                    letters++;
                } else if (kind == DIGIT) {
                    folded = '0';
                } else if (kind == SPACE) {
                    folded = ' ';
                    if (c == '\n') {
                        lines++;
                    }
                } else {
                    folded = c;
                    switch (c) {
                        case '+', '-', '*', '/', '^', '=', '<', '>', '%', '\\' -> operators++;
                        case '?' -> questions++;
                        case '{', '}', ';', '(', ')', '[', ']', '_', '`' -> code++;
                        default -> { }
                    }
                }
            } else if (Character.isLetter(c)) {
                folded = Character.toLowerCase(c);
                wordChar = Character.isLetterOrDigit(folded);
                letters++;
                if (c > 0x24F) {
                    nonLatin++;
                }
            } else if (Character.isWhitespace(c)) {
                folded = ' ';
                wordChar = false;
            } else {
                folded = c;
                wordChar = Character.isLetterOrDigit(c);
            }
            boolean digit = folded == '0';
            if (digit && !inNumber) {
                numbers++;
            }
            inNumber = digit || (inNumber && (c == '.' || c == ',') && i + 1 < n && Character.isDigit(text.charAt(i + 1)));
            // Collapse runs of spaces so the layout of a prompt does not change its character n-grams.
            if (!(folded == ' ' && windowLength > 0 && (window & 0xFFFF) == ' ')) {
                window = (window << 16) | folded;
                windowLength++;
                if (windowLength >= 4 && i < n) {
                    sink.chars(bucket(mix(window, CHAR_SEED)));
                }
            }
            if (wordChar) {
                word = (word ^ folded) * 0x01000193;
                wordLength++;
                continue;
            }
            if (wordLength > 0) {
                emitWord(word, sink);
                words++;
                word = 0x811C9DC5;
                wordLength = 0;
            }
            if (folded != ' ') {
                // Punctuation counts as a word of its own: "?" and "=" say much about a prompt.
                int symbol = (0x811C9DC5 ^ folded) * 0x01000193;
                emitWord(symbol, sink);
            }
        }
        sink.dense(0, 1f);
        sink.dense(1, log(text.length()));
        sink.dense(2, log(words));
        sink.dense(3, log(numbers));
        sink.dense(4, log(operators));
        sink.dense(5, log(questions));
        sink.dense(6, log(lines));
        sink.dense(7, log(code));
        sink.dense(8, letters == 0 ? 0f : (float) nonLatin / letters);
        sink.dense(9, log(Math.max(0, turns - 1)));
        sink.dense(10, tools ? 1f : 0f);
        sink.dense(11, log(systemChars));
    }

    private void emitWord(int word, Sink sink) {
        sink.word(bucket(mix(word, WORD_SEED)));
    }

    private static float log(long count) {
        return (float) (StrictMath.log1p(count) / 4);
    }

    private int bucket(long hash) {
        return (int) hash & mask;
    }

    /** The finaliser of MurmurHash3, so nearby inputs land in unrelated buckets. */
    private static long mix(long x, int seed) {
        long h = x ^ seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
