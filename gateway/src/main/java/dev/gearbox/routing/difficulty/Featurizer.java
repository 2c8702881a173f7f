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

    private static final String[] SHAPE = {"bias", "log_chars", "log_words", "log_numbers", "log_operators",
            "log_questions", "log_lines", "log_code", "non_latin", "log_turns", "tools", "log_system_chars",
            "latex", "math_symbols", "variables", "equations", "complexity", "code_lines", "stack_frames",
            "list_items", "fences", "sentences", "first_line_share", "log_first_line"};

    /** Where the signals' features start in {@link #DENSE}: two per signal, its count and whether it is in the ask. */
    static final int SIGNALS_AT = SHAPE.length;

    /** The dense features, in the order of their weights. */
    public static final String[] DENSE = denseNames(Lexicon.shipped());

    private static final long WORD_SEED = 0x9E3779B97F4A7C15L;
    private static final long CHAR_SEED = 0xC2B2AE3D27D4EB4FL;
    private static final long FIRST_SEED = 0x165667B19E3779F9L;
    private static final int FNV_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int HASH_AT = hashOf("at");
    private static final int HASH_FILE = hashOf("file");

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
        Pass pass = new Pass(lexicon.signals().size());
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

    /** The state of one pass over a text: counters, the word being hashed, the line being read. */
    private final class Pass {
        int words;
        int alnumWords;
        int numbers;
        int operators;
        int questions;
        int lines;
        int code;
        int nonLatin;
        int letters;
        int latex;
        int mathSymbols;
        int variables;
        int equations;
        int complexity;
        int codeLines;
        int stackFrames;
        int listItems;
        int fences;
        int sentences;
        int firstLine = -1;
        final int[] signalCount;
        final int[] signalFirst;
        final int[] signalLast;
        // The word being hashed, and the one before it (for two-word phrases).
        private int word = FNV_BASIS;
        private int wordStart;
        private int wordLength;
        private boolean wordLetters;
        private boolean wordDigits;
        private int previousWord;
        private int previousWordStart;
        private boolean previousStartsPhrase;
        // The line being read: its indent, first word, last visible character and what it holds.
        private boolean lineStart = true;
        private boolean lineVisible;
        private int indent;
        private int lineFirstWord;
        private boolean lineWordSeen;
        private boolean lineParenOrColon;
        private boolean lineQuote;
        private char lastVisible;

        Pass(int signals) {
            signalCount = new int[signals];
            signalFirst = new int[signals];
            signalLast = new int[signals];
        }

        void run(CharSequence text, Sink sink) {
            int n = text.length();
            long window = 0;
            int windowLength = 0;
            boolean inNumber = false;
            for (int i = 0; i <= n; i++) {
                char c = i < n ? text.charAt(i) : '\n';
                char folded;
                boolean wordChar;
                boolean ideograph = false;
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
                    } else {
                        folded = c;
                        punctuation(text, c, i, n);
                    }
                } else if (Character.isLetter(c)) {
                    folded = Character.toLowerCase(c);
                    wordChar = Character.isLetterOrDigit(folded);
                    ideograph = isIdeograph(c);
                    letters++;
                    if (c > 0x24F) {
                        nonLatin++;
                    }
                    if (c >= 0x391 && c <= 0x3C9) {
                        mathSymbols++;
                    }
                } else if (Character.isWhitespace(c)) {
                    folded = ' ';
                    wordChar = false;
                } else {
                    folded = c;
                    wordChar = Character.isLetterOrDigit(c);
                    if ((c >= 0x2190 && c <= 0x22FF) || c == 0xB2 || c == 0xB3) {
                        mathSymbols++;
                    }
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
                        sink.chars(bucket(window, CHAR_SEED), i + 1);
                    }
                }
                if (c == '\n' && i < n) {
                    lines++;
                }
                if (lineStart) {
                    lineStart(text, c, folded, i, n);
                }
                if (wordChar) {
                    if (ideograph && wordLength > 0) {
                        // Chinese and Japanese put no spaces between words: each character is a word of its own.
                        endWord(text, i, sink);
                    }
                    if (wordLength == 0) {
                        wordStart = i;
                    }
                    word = (word ^ folded) * FNV_PRIME;
                    wordLength++;
                    wordLetters |= !digit;
                    wordDigits |= digit;
                    lastVisible = c;
                    if (ideograph) {
                        endWord(text, i + 1, sink);
                    }
                    continue;
                }
                if (wordLength > 0) {
                    endWord(text, i, sink);
                }
                if (folded != ' ') {
                    lastVisible = c;
                    // Punctuation counts as a word of its own: "?" and "=" say much about a prompt.
                    sink.word(bucket((FNV_BASIS ^ folded) * FNV_PRIME, WORD_SEED), i, i + 1);
                }
                if (c == '\n') {
                    endLine(i);
                }
            }
        }

        /** Counts what an ASCII punctuation mark or symbol says: operators, equations, LaTeX, code, Big-O. */
        private void punctuation(CharSequence text, char c, int i, int n) {
            switch (c) {
                case '+', '-', '*', '/', '%', '<', '>' -> operators++;
                case '^' -> {
                    operators++;
                    if (i + 1 < n && (Character.isLetterOrDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '{')) {
                        mathSymbols++;
                    }
                }
                case '=' -> {
                    operators++;
                    char before = i > 0 ? text.charAt(i - 1) : ' ';
                    char after = i + 1 < n ? text.charAt(i + 1) : ' ';
                    if (before != '=' && before != '!' && before != '<' && before != '>' && after != '=' && after != '>') {
                        equations++;
                    }
                }
                case '\\' -> {
                    operators++;
                    if (i + 1 < n && text.charAt(i + 1) < 128 && ASCII[text.charAt(i + 1)] == LETTER) {
                        latex++;
                    }
                }
                case '?' -> questions++;
                case '(' -> {
                    code++;
                    lineParenOrColon = true;
                    if (i > 0 && isBigO(text.charAt(i - 1)) && (i == 1 || !Character.isLetterOrDigit(text.charAt(i - 2)))) {
                        complexity++;
                    }
                }
                case '{', '}', ';', ')', '[', ']', '_', '`' -> code++;
                case ':' -> lineParenOrColon = true;
                case '"' -> lineQuote = true;
                default -> { }
            }
            if ((c == '.' || c == '!' || c == '?') && (i + 1 >= n || Character.isWhitespace(text.charAt(i + 1)))) {
                sentences++;
            }
        }

        /** Reads a line's indent, and at its first visible character whether it is a list item or a fence. */
        private void lineStart(CharSequence text, char c, char folded, int i, int n) {
            if (folded == ' ') {
                indent += c == '\t' ? 4 : c == ' ' ? 1 : 0;
                return;
            }
            lineStart = false;
            lineVisible = true;
            if ((c == '-' || c == '*' || c == '\u2022') && i + 1 < n && text.charAt(i + 1) == ' ') {
                listItems++;
            } else if (folded == '0' && isNumberedItem(text, i, n)) {
                listItems++;
            } else if (c == '`' && i + 2 < n && text.charAt(i + 1) == '`' && text.charAt(i + 2) == '`') {
                fences++;
            }
        }

        /** The word that ends at {@code end}: its hashed features, the signals it or its phrase belongs to. */
        private void endWord(CharSequence text, int end, Sink sink) {
            sink.word(bucket(word, WORD_SEED), wordStart, end);
            if (alnumWords == 0) {
                sink.word(bucket(word, FIRST_SEED), wordStart, end);
            }
            words++;
            if (wordLength == 1 ? wordLetters && isVariable(text, wordStart) : wordLength <= 3 && wordLetters && wordDigits) {
                variables++;
            }
            if (!lineWordSeen) {
                lineWordSeen = true;
                lineFirstWord = word;
            }
            int looked = lexicon.word(word);
            int single = looked & ~Lexicon.STARTS_PHRASE;
            int pair = previousStartsPhrase ? lexicon.pair(previousWord, word) : 0;
            int found = single | pair;
            while (found != 0) {
                int s = Integer.numberOfTrailingZeros(found);
                found &= found - 1;
                if (signalCount[s]++ == 0) {
                    signalFirst[s] = alnumWords;
                }
                signalLast[s] = alnumWords;
                sink.signal(s, (single & (1 << s)) != 0 ? wordStart : previousWordStart, end);
            }
            alnumWords++;
            previousWord = word;
            previousWordStart = wordStart;
            previousStartsPhrase = (looked & Lexicon.STARTS_PHRASE) != 0;
            word = FNV_BASIS;
            wordLength = 0;
            wordLetters = false;
            wordDigits = false;
        }

        /** The line that ends at {@code i}: whether it reads as code or as a stack frame. */
        private void endLine(int i) {
            if (lineVisible) {
                if (firstLine < 0) {
                    firstLine = i;
                }
                if (lastVisible == ';' || lastVisible == '{' || lastVisible == '}' || indent >= 4) {
                    codeLines++;
                }
                if ((lineFirstWord == HASH_AT && lineParenOrColon) || (lineFirstWord == HASH_FILE && lineQuote)) {
                    stackFrames++;
                }
            }
            lineStart = true;
            lineVisible = false;
            indent = 0;
            lineWordSeen = false;
            lineParenOrColon = false;
            lineQuote = false;
        }
    }

    /** Chinese characters and Japanese kana, which are written without spaces between words. */
    static boolean isIdeograph(char c) {
        return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
    }

    /** A one-letter word that reads as a variable: not "a" or "I", nor the "s" or "t" of "it's" and "don't". */
    private static boolean isVariable(CharSequence text, int at) {
        char c = (char) (text.charAt(at) | 0x20);
        if (text.charAt(at) >= 128 || c == 'a' || c == 'i') {
            return false;
        }
        char before = at > 0 ? text.charAt(at - 1) : ' ';
        return before != '\'' && before != '\u2019';
    }

    /** "1." or "12)" followed by a space, at the start of a line. */
    private static boolean isNumberedItem(CharSequence text, int at, int n) {
        int i = at;
        while (i < n && i - at < 3 && Character.isDigit(text.charAt(i))) {
            i++;
        }
        return i + 1 < n && (text.charAt(i) == '.' || text.charAt(i) == ')') && text.charAt(i + 1) == ' ';
    }

    private static boolean isBigO(char c) {
        return c == 'O' || c == '\u0398' || c == '\u03A9' || c == '\u03B8';
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

    private static int hashOf(String word) {
        return wordHashes(word)[0];
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
    private int bucket(long x, long seed) {
        return (int) (((x ^ seed) * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
