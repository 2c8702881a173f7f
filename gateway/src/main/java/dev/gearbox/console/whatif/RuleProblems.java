package dev.gearbox.console.whatif;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validator's problems as the what-if page lists them: file, line, field and message apart. The compiler
 * writes each as {@code file: line N: field: message}, the line and the field where it knows them.
 */
final class RuleProblems {

    private static final Pattern PROBLEM = Pattern.compile(
            "^(?<file>.+?)(?:: line (?<line>\\d+))?: (?:(?<field>[A-Za-z_][\\w-]*(?:\\[\\d+])*(?:\\.[\\w-]+(?:\\[\\d+])*)*): )?"
                    + "(?<message>.+)$", Pattern.DOTALL);

    private RuleProblems() {
    }

    static JsonArray json(List<String> problems) {
        JsonArray out = new JsonArray();
        for (String problem : problems) {
            Matcher m = PROBLEM.matcher(problem);
            if (m.matches()) {
                out.add(new JsonObject().put("file", m.group("file"))
                        .put("line", m.group("line") == null ? null : Integer.parseInt(m.group("line")))
                        .put("field", m.group("field")).put("message", m.group("message")));
            } else {
                out.add(new JsonObject().put("message", problem));
            }
        }
        return out;
    }
}
