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
     * <p>Keywords are found with {@code indexOf} in text lowercased once per request, many times faster
     * than a case-insensitive alternation; a keyword that starts or ends with a letter or digit must not
     * continue a longer word there.
     *
     * @param keywords lower-case keywords (as written when case-sensitive), or empty
     * @param caseSensitive whether keywords match case
     * @param regex the regex, or null
     * @param regexLiteral text every match of the regex starts with (lowercased unless case-sensitive), or null;
     *     when the text lacks it, the regex cannot match and is not run
     * @param source the condition as written, for explanations
     */
    record TextMatch(String[] keywords, boolean caseSensitive, Pattern regex, String regexLiteral, String source) {

        /** @param lower the same text lowercased, as {@link RequestFeatures} caches it */
        boolean test(String text, String lower) {
            if (text == null || text.isEmpty()) {
                return false;
            }
            String haystack = caseSensitive ? text : lower;
            for (String keyword : keywords) {
                if (containsWord(haystack, keyword)) {
                    return true;
                }
            }
            if (regex != null && (regexLiteral == null || haystack.contains(regexLiteral))) {
                CharSequence scanned = text.length() > RequestFeatures.MATCH_CHARS
                        ? text.subSequence(0, RequestFeatures.MATCH_CHARS) : text;
                return regex.matcher(scanned).find();
            }
            return false;
        }

        String describe() {
            return source;
        }

        /**
         * The literal a regex's every match starts with, when that is plain to see: the leading run of
         * ordinary characters of a regex without alternation, short of any character a quantifier makes
         * optional. Null when there is none of at least three characters.
         */
        static String requiredLiteral(String regex) {
            if (regex.indexOf('|') >= 0) {
                return null;
            }
            int i = 0;
            while (i < regex.length() && (Character.isLetterOrDigit(regex.charAt(i)) || " -_:,'/".indexOf(regex.charAt(i)) >= 0)) {
                i++;
            }
            if (i < regex.length() && i > 0 && "*?+{".indexOf(regex.charAt(i)) >= 0) {
                i--;
            }
            return i >= 3 ? regex.substring(0, i) : null;
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

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
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
