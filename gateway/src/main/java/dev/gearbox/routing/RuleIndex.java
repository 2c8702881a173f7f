package dev.gearbox.routing;

import dev.gearbox.routing.Conditions.All;
import dev.gearbox.routing.Conditions.Any;
import dev.gearbox.routing.Conditions.StringCondition;
import dev.gearbox.routing.Conditions.TextCondition;
import dev.gearbox.routing.Matchers.TextMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An index of compiled routes that finds the first route a request satisfies without testing every one.
 *
 * <p>Most routes operators write hinge on something a lookup can settle: a tenant, a header or a
 * metadata value equal to one of a few strings, a keyword in the last user message, a regex that
 * starts with a literal. For each route the index keeps such a necessary condition, its <em>guard</em>,
 * and files the route under the values that pass it. A request then costs one lookup per distinct
 * feature, one pass over the words of each text rules search, and one {@code contains} per distinct
 * regex literal; only routes whose guard passed, and those without a guard, are tested in full, in
 * their order. A guard may pass a route its full condition rejects, never the other way round, so the
 * first match is the one a linear scan finds. Immutable; shared by every event loop.
 */
final class RuleIndex {

    private final Rule[] rules;
    private final int words;
    private final long[] unguarded;
    private final long[] modelRoutes;
    private final Equality[] equalities;
    private final WordSearch[] wordSearches;
    private final LiteralSearch[] literalSearches;

    private RuleIndex(List<Rule> rules) {
        this.rules = rules.toArray(new Rule[0]);
        this.words = (this.rules.length + 63) >>> 6;
        this.unguarded = new long[words];
        this.modelRoutes = new long[words];
        Map<String, Equality> equalities = new LinkedHashMap<>();
        Map<String, WordSearch> wordSearches = new LinkedHashMap<>();
        Map<String, LiteralSearch> literalSearches = new LinkedHashMap<>();
        for (int i = 0; i < this.rules.length; i++) {
            Rule rule = this.rules[i];
            if (rule.mentionsModel()) {
                set(modelRoutes, i);
            }
            List<Probe> guard = rule.always() ? null : guard(rule.when());
            if (guard == null) {
                set(unguarded, i);
                continue;
            }
            for (Probe probe : guard) {
                if (probe instanceof EqualsProbe p) {
                    equalities.computeIfAbsent(p.family(), f -> new Equality(p.feature())).add(p.value(), i, words);
                } else if (probe instanceof WordProbe p) {
                    wordSearches.computeIfAbsent(p.family(), f -> new WordSearch(p.haystack())).add(p.word(), i, words);
                } else if (probe instanceof LiteralProbe p) {
                    literalSearches.computeIfAbsent(p.family(), f -> new LiteralSearch(p.haystack())).add(p.literal(), i, words);
                }
            }
        }
        this.equalities = equalities.values().toArray(new Equality[0]);
        this.wordSearches = wordSearches.values().toArray(new WordSearch[0]);
        this.literalSearches = literalSearches.values().toArray(new LiteralSearch[0]);
        for (WordSearch search : this.wordSearches) {
            search.build();
        }
    }

    static RuleIndex of(List<Rule> rules) {
        return new RuleIndex(rules);
    }

    /**
     * The first route, in order, that applies to the request, or null.
     *
     * @param concrete whether the request names a concrete model, so only routes that test {@code model} may claim it
     *     (the default route included)
     */
    Rule first(RequestFeatures request, boolean concrete) {
        long[] possible = unguarded.clone();
        for (Equality equality : equalities) {
            equality.mark(request, possible);
        }
        for (WordSearch search : wordSearches) {
            search.mark(request, possible);
        }
        for (LiteralSearch search : literalSearches) {
            search.mark(request, possible);
        }
        for (int w = 0; w < words; w++) {
            long bits = concrete ? possible[w] & modelRoutes[w] : possible[w];
            while (bits != 0) {
                Rule rule = rules[(w << 6) + Long.numberOfTrailingZeros(bits)];
                bits &= bits - 1;
                if (rule.always() || rule.when().test(request)) {
                    return rule;
                }
            }
        }
        return null;
    }

    /** Routes tested in full for every request, whatever it holds: the ones without a guard. */
    int unguardedCount() {
        int count = 0;
        for (long bits : unguarded) {
            count += Long.bitCount(bits);
        }
        return count;
    }

    /**
     * A necessary condition of a condition, as probes any one of which passes it; null when there is none
     * a lookup can settle.
     */
    static List<Probe> guard(Condition condition) {
        if (condition instanceof StringCondition c) {
            if (c.match().values() == null) {
                return null;
            }
            List<Probe> out = new ArrayList<>();
            for (String value : c.match().values()) {
                out.add(new EqualsProbe(c.name(), c.feature(), value));
            }
            return out;
        }
        if (condition instanceof TextCondition c) {
            return textGuard(c);
        }
        if (condition instanceof All all) {
            // Any one part's guard is a guard of the whole; the most selective is the cheapest to pass rarely.
            List<Probe> best = null;
            for (Condition part : all.parts()) {
                List<Probe> guard = guard(part);
                if (guard != null && (best == null || rank(guard) < rank(best))) {
                    best = guard;
                }
            }
            return best;
        }
        if (condition instanceof Any any) {
            List<Probe> out = new ArrayList<>();
            for (Condition part : any.parts()) {
                List<Probe> guard = guard(part);
                if (guard == null) {
                    return null;
                }
                out.addAll(guard);
            }
            return out;
        }
        return null;
    }

    /** Lower is more selective: equalities before words before literals, fewer probes first. */
    private static int rank(List<Probe> guard) {
        int kind = 0;
        for (Probe probe : guard) {
            kind = Math.max(kind, probe instanceof EqualsProbe ? 0 : probe instanceof WordProbe ? 1 : 2);
        }
        return kind * 1_000_000 + guard.size();
    }

    private static List<Probe> textGuard(TextCondition c) {
        TextMatch match = c.match();
        String family = c.name() + (match.caseSensitive() ? " (case-sensitive)" : "");
        Function<RequestFeatures, String> haystack = match.caseSensitive() ? c.feature() : c.folded();
        List<Probe> out = new ArrayList<>();
        for (String keyword : match.keywords()) {
            // A keyword that starts a word has its leading run of word characters as a whole word of the text.
            int end = 0;
            while (end < keyword.length() && Matchers.isWordChar(keyword.charAt(end))) {
                end++;
            }
            if (end == 0) {
                return null;
            }
            out.add(new WordProbe(family, haystack, keyword.substring(0, end)));
        }
        if (match.regex() != null) {
            if (match.regexLiterals() == null) {
                return null;
            }
            for (String literal : match.regexLiterals()) {
                out.add(new LiteralProbe(family, haystack, literal));
            }
        }
        return out;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private static void or(long[] into, long[] bits) {
        for (int w = 0; w < into.length; w++) {
            into[w] |= bits[w];
        }
    }

    /** One way a route's guard can pass. */
    sealed interface Probe permits EqualsProbe, WordProbe, LiteralProbe {
        /** Probes of one family read the same feature of a request, once. */
        String family();
    }

    /** The feature equals the value. */
    record EqualsProbe(String family, Function<RequestFeatures, String> feature, String value) implements Probe {
    }

    /** The text holds the word as a maximal run of word characters. */
    record WordProbe(String family, Function<RequestFeatures, String> haystack, String word) implements Probe {
    }

    /** The text contains the literal. */
    record LiteralProbe(String family, Function<RequestFeatures, String> haystack, String literal) implements Probe {
    }

    /** Routes by the value of one string feature. */
    private static final class Equality {
        private final Function<RequestFeatures, String> feature;
        private final Map<String, long[]> routes = new HashMap<>();

        Equality(Function<RequestFeatures, String> feature) {
            this.feature = feature;
        }

        void add(String value, int rule, int words) {
            set(routes.computeIfAbsent(value, v -> new long[words]), rule);
        }

        void mark(RequestFeatures request, long[] possible) {
            String value = feature.apply(request);
            long[] bits = value == null ? null : routes.get(value);
            if (bits != null) {
                or(possible, bits);
            }
        }
    }

    /** Routes by the words of one text; the text's words are looked up without building a string per word. */
    private static final class WordSearch {
        private final Function<RequestFeatures, String> haystack;
        private final Map<String, long[]> routes = new HashMap<>();
        private String[] table;
        private long[][] tableRoutes;
        private int maxLength;

        WordSearch(Function<RequestFeatures, String> haystack) {
            this.haystack = haystack;
        }

        void add(String word, int rule, int words) {
            set(routes.computeIfAbsent(word, w -> new long[words]), rule);
        }

        /** Lays the words out for lookups by character range; done before the index is shared. */
        void build() {
            int size = Integer.highestOneBit(Math.max(4, routes.size() * 3)) << 1;
            String[] keys = new String[size];
            long[][] values = new long[size][];
            for (Map.Entry<String, long[]> e : routes.entrySet()) {
                String word = e.getKey();
                int slot = hash(word, 0, word.length()) & (size - 1);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (size - 1);
                }
                keys[slot] = word;
                values[slot] = e.getValue();
                maxLength = Math.max(maxLength, word.length());
            }
            tableRoutes = values;
            table = keys;
        }

        void mark(RequestFeatures request, long[] possible) {
            String text = haystack.apply(request);
            if (text == null) {
                return;
            }
            int limit = Math.min(text.length(), RequestFeatures.MATCH_CHARS);
            int mask = table.length - 1;
            int i = 0;
            while (i < limit) {
                while (i < limit && !Matchers.isWordChar(text.charAt(i))) {
                    i++;
                }
                int start = i;
                int h = 0;
                while (i < limit && Matchers.isWordChar(text.charAt(i))) {
                    h = 31 * h + text.charAt(i);
                    i++;
                }
                int length = i - start;
                if (length == 0 || length > maxLength) {
                    continue;
                }
                for (int slot = spread(h) & mask; table[slot] != null; slot = (slot + 1) & mask) {
                    String word = table[slot];
                    if (word.length() == length && text.regionMatches(start, word, 0, length)) {
                        or(possible, tableRoutes[slot]);
                        break;
                    }
                }
            }
        }

        private static int hash(String s, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + s.charAt(i);
            }
            return spread(h);
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
    }

    /** Routes by the literals their regexes start with, each searched for once. */
    private static final class LiteralSearch {
        private final Function<RequestFeatures, String> haystack;
        private final Map<String, long[]> routes = new LinkedHashMap<>();

        LiteralSearch(Function<RequestFeatures, String> haystack) {
            this.haystack = haystack;
        }

        void add(String literal, int rule, int words) {
            set(routes.computeIfAbsent(literal, l -> new long[words]), rule);
        }

        void mark(RequestFeatures request, long[] possible) {
            String text = haystack.apply(request);
            if (text == null || text.isEmpty()) {
                return;
            }
            for (Map.Entry<String, long[]> e : routes.entrySet()) {
                if (TextMatch.contains(text, e.getKey())) {
                    or(possible, e.getValue());
                }
            }
        }
    }
}
