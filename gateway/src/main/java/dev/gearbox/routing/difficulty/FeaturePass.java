package dev.gearbox.routing.difficulty;

import static dev.gearbox.routing.difficulty.Featurizer.ASCII;
import static dev.gearbox.routing.difficulty.Featurizer.CHAR_SEED;
import static dev.gearbox.routing.difficulty.Featurizer.DIGIT;
import static dev.gearbox.routing.difficulty.Featurizer.FIRST_SEED;
import static dev.gearbox.routing.difficulty.Featurizer.FNV_BASIS;
import static dev.gearbox.routing.difficulty.Featurizer.FNV_PRIME;
import static dev.gearbox.routing.difficulty.Featurizer.LETTER;
import static dev.gearbox.routing.difficulty.Featurizer.SPACE;
import static dev.gearbox.routing.difficulty.Featurizer.WORD_SEED;

/**
 * One pass of the {@link Featurizer} over a text: it emits the hashed words and character 4-grams as it reads,
 * and counts what the dense features are made of (signals, operators, equations, code lines, stack frames, ...)
 * for the featurizer to emit at the end. Its state is the word being hashed and the line being read; one pass
 * per text, confined to one thread.
 */
final class FeaturePass {

    private static final int HASH_AT = Featurizer.wordHashes("at")[0];
    private static final int HASH_FILE = Featurizer.wordHashes("file")[0];

    private final Featurizer featurizer;
    private final Lexicon lexicon;

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

    FeaturePass(Featurizer featurizer, Lexicon lexicon) {
        this.featurizer = featurizer;
        this.lexicon = lexicon;
        int signals = lexicon.signals().size();
        signalCount = new int[signals];
        signalFirst = new int[signals];
        signalLast = new int[signals];
    }

    void run(CharSequence text, Featurizer.Sink sink) {
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
                ideograph = Featurizer.isIdeograph(c);
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
                    sink.chars(featurizer.bucket(window, CHAR_SEED), i + 1);
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
                sink.word(featurizer.bucket((FNV_BASIS ^ folded) * FNV_PRIME, WORD_SEED), i, i + 1);
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
    private void endWord(CharSequence text, int end, Featurizer.Sink sink) {
        sink.word(featurizer.bucket(word, WORD_SEED), wordStart, end);
        if (alnumWords == 0) {
            sink.word(featurizer.bucket(word, FIRST_SEED), wordStart, end);
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
}
