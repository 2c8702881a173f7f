package dev.gearbox.routing;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The value tests that condition leaves share: strings, numbers and text. */
final class Matchers {

    private Matchers() {
    }

    /** A test of an optional string: one of some values, a regex, or presence. */
    record StringMatch(Set<String> values, Pattern regex, Boolean present, String single) {

        StringMatch(Set<String> values, Pattern regex, Boolean present) {
            this(values, regex, present, values != null && values.size() == 1 ? values.iterator().next() : null);
        }

        boolean test(String value) {
            if (present != null) {
                return present == (value != null);
            }
            if (value == null) {
                return false;
            }
            if (single != null) {
                return single.equals(value);
            }
            return values != null ? values.contains(value) : regex.matcher(value).find();
        }

        String describe() {
            if (present != null) {
                return present ? "present" : "absent";
            }
            return values != null ? (values.size() == 1 ? "= " + values.iterator().next() : "in " + List.copyOf(values))
                    : "~ /" + regex.pattern() + "/";
        }
    }

    /** A test of an optional number: bounds, all of which must hold. */
    record NumberRange(Double gt, Double gte, Double lt, Double lte) {

        boolean test(Number value) {
            if (value == null) {
                return false;
            }
            double v = value.doubleValue();
            return (gt == null || v > gt) && (gte == null || v >= gte) && (lt == null || v < lt) && (lte == null || v <= lte);
        }

        String describe() {
            StringBuilder out = new StringBuilder();
            append(out, ">", gt);
            append(out, ">=", gte);
            append(out, "<", lt);
            append(out, "<=", lte);
            return out.toString();
        }

        private static void append(StringBuilder out, String op, Double bound) {
            if (bound != null) {
                out.append(out.length() == 0 ? "" : " and ").append(op).append(' ').append(format(bound));
            }
        }
    }

    /**
     * A test of free text: any of some keywords as whole words, or a regex; case-insensitive unless asked.
     *
     * <p>Keywords are found with {@code indexOf} in text {@link #fold folded} once per request, many times
     * faster than a case-insensitive alternation; a keyword that starts or ends with a letter or digit must
     * not continue a longer word there. The same folded text lets a regex be skipped when it lacks the
     * regex's leading literals.
     *
     * @param keywords folded keywords (as written when case-sensitive), or empty
     * @param caseSensitive whether keywords and literals match case
     * @param regex the regex, or null
     * @param regexLiterals texts one of which every match of the regex starts with (folded unless
     *     case-sensitive), or null; when the text holds none of them, the regex cannot match and is not run
     * @param source the condition as written, for explanations
     */
    record TextMatch(String[] keywords, boolean caseSensitive, Pattern regex, List<String> regexLiterals, String source) {

        /** @param folded the same text {@link #fold folded}, as {@link RequestFeatures} caches it; unused when case-sensitive */
        boolean test(String text, String folded) {
            if (text == null || text.isEmpty()) {
                return false;
            }
            String haystack = caseSensitive ? text : folded;
            for (String keyword : keywords) {
                if (containsWord(haystack, keyword)) {
                    return true;
                }
            }
            if (regex != null && (regexLiterals == null || containsAny(haystack, regexLiterals))) {
                CharSequence scanned = text.length() > RequestFeatures.MATCH_CHARS
                        ? text.subSequence(0, RequestFeatures.MATCH_CHARS) : text;
                return regex.matcher(scanned).find();
            }
            return false;
        }

        String describe() {
            return source;
        }

        /** Stands, among a regex's literals, for any ASCII digit: what {@code \d} matches. */
        static final String DIGIT = "\\d";

        private static boolean containsAny(String text, List<String> literals) {
            for (String literal : literals) {
                if (contains(text, literal)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the text holds the literal, or any digit for {@link #DIGIT}. */
        static boolean contains(String text, String literal) {
            if (!DIGIT.equals(literal)) {
                return text.contains(literal);
            }
            int limit = Math.min(text.length(), RequestFeatures.MATCH_CHARS);
            for (int i = 0; i < limit; i++) {
                char c = text.charAt(i);
                if (c >= '0' && c <= '9') {
                    return true;
                }
            }
            return false;
        }

        /**
         * Literals one of which every match of a regex starts with, when that is plain to see; null when
         * it is not. Each top-level alternative must start with a run of characters that stand for
         * themselves (short of one a quantifier makes optional), with a group of such alternatives, or
         * with {@code \d}, which needs a digit ({@link #DIGIT}). So {@code order number \d+} gives
         * {@code [order number ]}, {@code (refund|return) \d+} gives {@code [refund, return]},
         * {@code \d+ apples|\\frac} gives {@code [\d, \frac]}, and {@code \w+ apples} gives null.
         */
        static List<String> requiredLiterals(String regex) {
            List<String> branches = split(regex.startsWith("^") ? regex.substring(1) : regex);
            if (branches == null) {
                return null;
            }
            List<String> out = new java.util.ArrayList<>();
            for (String branch : branches) {
                List<String> literals = branchLiterals(branch);
                if (literals == null) {
                    return null;
                }
                out.addAll(literals);
            }
            return List.copyOf(new java.util.LinkedHashSet<>(out));
        }

        private static List<String> branchLiterals(String branch) {
            boolean group = branch.startsWith("(?:") || (branch.startsWith("(") && !branch.startsWith("(?"));
            if (branch.startsWith(DIGIT)) {
                return List.of(DIGIT);
            }
            if (!group) {
                String literal = leadingLiteral(branch);
                return literal == null ? null : List.of(literal);
            }
            int open = branch.startsWith("(?:") ? 3 : 1;
            int close = branch.indexOf(')');
            if (close < 0 || (close + 1 < branch.length() && "*?{".indexOf(branch.charAt(close + 1)) >= 0)) {
                return null;
            }
            List<String> out = new java.util.ArrayList<>();
            for (String alternative : branch.substring(open, close).split("\\|", -1)) {
                if (alternative.isEmpty() || !alternative.chars().allMatch(c -> ordinary((char) c))) {
                    return null;
                }
                out.add(alternative);
            }
            return out;
        }

        /** The leading run of characters that stand for themselves, short of one a quantifier makes optional; null when none. */
        private static String leadingLiteral(String regex) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < regex.length()) {
                char c = regex.charAt(i);
                int width = ordinary(c) ? 1 : c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1)) ? 2 : 0;
                // A character a quantifier follows may repeat or be absent: the literal ends before it.
                if (width == 0 || (i + width < regex.length() && "*?+{".indexOf(regex.charAt(i + width)) >= 0)) {
                    break;
                }
                out.append(regex.charAt(i + width - 1));
                i += width;
            }
            return out.length() == 0 ? null : out.toString();
        }

        /** Whether a character of a regex stands for itself. */
        private static boolean ordinary(char c) {
            return "\\^$.|?*+()[]{}".indexOf(c) < 0 && !Character.isSurrogate(c);
        }

        /** The top-level alternatives of a regex; null when escapes or classes make that hard to tell. */
        private static List<String> split(String regex) {
            List<String> out = new java.util.ArrayList<>();
            int depth = 0;
            int from = 0;
            for (int i = 0; i < regex.length(); i++) {
                char c = regex.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '[') {
                    int end = regex.indexOf(']', i + 2);
                    if (end < 0 || regex.substring(i, end).indexOf('\\') >= 0) {
                        return null;
                    }
                    i = end;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '|' && depth == 0) {
                    out.add(regex.substring(from, i));
                    from = i + 1;
                }
            }
            out.add(regex.substring(from));
            return out;
        }

        private static boolean containsWord(String text, String word) {
            int limit = Math.min(text.length(), RequestFeatures.MATCH_CHARS);
            boolean checkStart = isWordChar(word.charAt(0));
            boolean checkEnd = isWordChar(word.charAt(word.length() - 1));
            int from = 0;
            while (true) {
                int at = text.indexOf(word, from);
                if (at < 0 || at + word.length() > limit) {
                    return false;
                }
                int end = at + word.length();
                if ((!checkStart || at == 0 || !isWordChar(text.charAt(at - 1)))
                        && (!checkEnd || end == text.length() || !isWordChar(text.charAt(end)))) {
                    return true;
                }
                from = at + 1;
            }
        }

    }

    /**
     * Text folded the way a case-insensitive Unicode regex compares characters, upper case then lower
     * case, one character for one, within the characters rules match; so a folded literal is in the folded
     * text whenever the regex could match there ({@code ı} and {@code i} both fold to {@code i}, which lower
     * case alone misses), and a folded keyword matches whatever case the text is in.
     */
    static String fold(String text) {
        int length = Math.min(text.length(), RequestFeatures.MATCH_CHARS);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = Character.toLowerCase(Character.toUpperCase(text.charAt(i)));
        }
        return new String(out);
    }

    /** Whether a character belongs to a word, for whole-word keyword matches. */
    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    static String quote(String value) {
        if (value == null) {
            return "absent";
        }
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return "'" + shown.replace("\n", " ") + "'";
    }
}
