package dev.gearbox.wire;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client is told about a body that is not JSON: where (line and column) and what was expected
 * there. Jackson's own messages name its classes, features and source descriptions
 * ({@code [Source: REDACTED (`StreamReadFeature...`)}), which mean nothing to a client and say how the
 * gateway is built, so none of their text goes out unless it is recognised here.
 */
final class JsonSyntax {

    private static final Pattern FOUND = Pattern.compile("^Unexpected character \\('(.{1,4})' \\(code \\d+\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '([^']{0,40})");
    private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']{0,20})'");
    private static final Pattern LIMIT = Pattern.compile(
            "^(String value length|Number value length|Name length|Document nesting depth) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

    private JsonSyntax() {
    }

    /** {@code The request body is not valid JSON: at line 1, column 28, expected ']' ...}. */
    static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ",";
        return "The request body is not valid JSON:" + where + " " + expected(e.getOriginalMessage()) + ".";
    }

    static String expected(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Unexpected end-of-input")) {
            if (m.contains("close marker for Object")) {
                return "expected '}' to close an object, but the body ends";
            }
            if (m.contains("close marker for Array")) {
                return "expected ']' to close an array, but the body ends";
            }
            if (m.contains("VALUE_STRING") || m.contains("closing quote") || m.contains("in field name")) {
                return "expected '\"' to close a string, but the body ends";
            }
            return "expected more JSON (the rest of an object), but the body ends";
        }
        Matcher limit = LIMIT.matcher(m);
        if (limit.find()) {
            return limit.group(1).toLowerCase(java.util.Locale.ROOT) + " " + limit.group(2) + " is over the "
                    + limit.group(3) + " allowed";
        }
        Matcher nonStandard = NON_STANDARD.matcher(m);
        if (nonStandard.find()) {
            return "expected a number, found '" + nonStandard.group(1) + "', which JSON does not allow";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "expected a control character in a string to be escaped with a backslash";
        }
        if (m.contains("Leading zeroes not allowed")) {
            return "expected a number without leading zeroes";
        }
        if (m.startsWith("Unrecognized character escape")) {
            return "expected an escape sequence (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)";
        }
        String found = "";
        Matcher character = FOUND.matcher(m);
        Matcher token = TOKEN.matcher(m);
        if (character.find()) {
            found = ", found '" + character.group(1) + "'";
        } else if (token.find()) {
            found = ", found '" + token.group(1) + "'";
        }
        return expectation(m) + found;
    }

    private static String expectation(String m) {
        if (m.contains("double-quote to start field name")) {
            return "expected a field name in double quotes";
        }
        if (m.contains("colon to separate field name and value")) {
            return "expected ':' after a field name";
        }
        if (m.contains("comma to separate Object entries")) {
            return "expected ',' or '}' after a field's value";
        }
        if (m.contains("comma to separate Array entries")) {
            return "expected ',' or ']' after an array element";
        }
        if (m.contains("hex-digit for character escape")) {
            return "expected four hex digits after \\u";
        }
        if (m.contains("in numeric value") || m.contains("Invalid numeric value")) {
            return "expected a number";
        }
        if (m.contains("expected a value") || m.contains("expected a valid value") || m.startsWith("Unrecognized token")
                || m.contains("was expecting (JSON")) {
            return "expected a value (a string, number, object, array, true, false or null)";
        }
        return "expected a JSON object";
    }
}
