package dev.gearbox.routing.difficulty.training;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads training prompts, one JSON object a line, in either of two forms:
 * <ul>
 *   <li>routing-eval: {@code {"id", "benchmark", "prompt", "contaminated", "weak": {"score"}, "strong": {"score"}}};</li>
 *   <li>an operator's own traffic: {@code "prompt"} (text) or {@code "messages"} (a chat conversation), and
 *       {@code "gain"} or both {@code "weak_score"} and {@code "strong_score"}; {@code "id"} and {@code "group"}
 *       are optional.</li>
 * </ul>
 * A line that is neither stops the read with a {@link TrainingDataException} naming the file and line.
 */
public final class TrainingData {

    private TrainingData() {
    }

    public static List<Example> read(String name, BufferedReader in) {
        List<Example> out = new ArrayList<>();
        int number = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    out.add(parse(line, name, number));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new TrainingDataException(name, number, "no training prompts (expected one JSON object a line)");
        }
        return out;
    }

    private static Example parse(String line, String name, int number) {
        JsonObject row;
        try {
            row = new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
            throw new TrainingDataException(name, number, "not a JSON object: " + firstLine(e.getMessage()));
        }
        String id = row.getValue("id") == null ? String.valueOf(number) : String.valueOf(row.getValue("id"));
        Object benchmark = row.getValue("benchmark") != null ? row.getValue("benchmark") : row.getValue("group");
        String group = benchmark instanceof String g ? g : "default";
        double gain = gain(row, name, number);
        boolean heldOut = Boolean.TRUE.equals(row.getValue("contaminated"));
        if (row.getValue("messages") instanceof JsonArray messages) {
            String last = "";
            int system = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (!(messages.getValue(i) instanceof JsonObject m) || !(m.getValue("role") instanceof String role)) {
                    throw new TrainingDataException(name, number, "messages[" + i + "]: expected {\"role\", \"content\"}");
                }
                String content = text(m.getValue("content"));
                if (role.equals("user")) {
                    last = content;
                } else if (role.equals("system") || role.equals("developer")) {
                    system += content.length();
                }
            }
            boolean tools = row.getValue("tools") instanceof JsonArray t && !t.isEmpty();
            return new Example(id, group, last, messages.size(), tools, system, gain, heldOut);
        }
        if (!(row.getValue("prompt") instanceof String prompt)) {
            throw new TrainingDataException(name, number, "expected \"prompt\" (text) or \"messages\" (a chat conversation)");
        }
        return new Example(id, group, prompt, 1, false, 0, gain, heldOut);
    }

    private static double gain(JsonObject row, String name, int number) {
        if (row.getValue("gain") != null) {
            return number(row.getValue("gain"), "gain", name, number);
        }
        if (row.getValue("weak_score") != null || row.getValue("strong_score") != null) {
            return number(row.getValue("strong_score"), "strong_score", name, number)
                    - number(row.getValue("weak_score"), "weak_score", name, number);
        }
        if (row.getValue("weak") instanceof JsonObject weak && row.getValue("strong") instanceof JsonObject strong) {
            return number(strong.getValue("score"), "strong.score", name, number)
                    - number(weak.getValue("score"), "weak.score", name, number);
        }
        throw new TrainingDataException(name, number,
                "expected \"gain\", or \"weak_score\" and \"strong_score\", or \"weak\": {\"score\"} and \"strong\": {\"score\"}");
    }

    private static double number(Object value, String field, String name, int number) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new TrainingDataException(name, number, field + ": " + (value == null ? "missing" : "'" + value + "'")
                + " (expected: a number)");
    }

    private static String text(Object content) {
        if (content instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        if (content instanceof JsonArray parts) {
            for (Object part : parts) {
                if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                    out.append(out.length() > 0 ? "\n" : "").append(t);
                }
            }
        }
        return out.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
