package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.Conversation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads training prompts, one JSON object a line. The prompt is {@code "prompt"} (text) or
 * {@code "messages"} (a chat conversation, with {@code "tools"} if it offered any); what it teaches is one of
 * <ul>
 *   <li>{@code "label": "reasoning" | "cheap"}, or {@code "target"}: how much it needs a reasoning model, from 0 to 1;</li>
 *   <li>{@code "gain"}, or {@code "weak_score"} and {@code "strong_score"}, or routing-eval's
 *       {@code "weak": {"score"}} and {@code "strong": {"score"}}: what a strong model gained on it.</li>
 * </ul>
 * {@code "group"} (or routing-eval's {@code "benchmark"}) names its source, {@code "weight"} how much it
 * counts (default 1), {@code "id"} the prompt, and {@code "contaminated": true} keeps it out of the figures.
 * A line that is none of these stops the read with a {@link TrainingDataException} naming the file and line.
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
        Label label = label(row, name, number);
        double weight = row.getValue("weight") == null ? 1 : number(row.getValue("weight"), "weight", name, number);
        if (!(weight > 0)) {
            throw new TrainingDataException(name, number, "weight: " + weight + " (expected: > 0)");
        }
        boolean heldOut = Boolean.TRUE.equals(row.getValue("contaminated"));
        Conversation conversation;
        if (row.getValue("messages") instanceof JsonArray messages) {
            for (int i = 0; i < messages.size(); i++) {
                if (!(messages.getValue(i) instanceof JsonObject m) || !(m.getValue("role") instanceof String)) {
                    throw new TrainingDataException(name, number, "messages[" + i + "]: expected {\"role\", \"content\"}");
                }
            }
            conversation = Conversation.of(messages, row.getValue("tools") instanceof JsonArray t && !t.isEmpty());
        } else if (row.getValue("prompt") instanceof String prompt) {
            conversation = Conversation.of(prompt);
        } else {
            throw new TrainingDataException(name, number, "expected \"prompt\" (text) or \"messages\" (a chat conversation)");
        }
        return new Example(id, group, conversation, label, weight, heldOut);
    }

    private static Label label(JsonObject row, String name, int number) {
        Object label = row.getValue("label");
        if (label != null) {
            if ("reasoning".equals(label)) {
                return new Label.Need(1);
            }
            if ("cheap".equals(label)) {
                return new Label.Need(0);
            }
            throw new TrainingDataException(name, number, "label: '" + label + "' (expected: reasoning or cheap)");
        }
        if (row.getValue("target") != null) {
            double target = number(row.getValue("target"), "target", name, number);
            if (!(target >= 0 && target <= 1)) {
                throw new TrainingDataException(name, number, "target: " + target + " (expected: from 0 to 1)");
            }
            return new Label.Need(target);
        }
        if (row.getValue("gain") != null) {
            return new Label.Gain(number(row.getValue("gain"), "gain", name, number));
        }
        if (row.getValue("weak_score") != null || row.getValue("strong_score") != null) {
            return new Label.Gain(number(row.getValue("strong_score"), "strong_score", name, number)
                    - number(row.getValue("weak_score"), "weak_score", name, number));
        }
        if (row.getValue("weak") instanceof JsonObject weak && row.getValue("strong") instanceof JsonObject strong) {
            return new Label.Gain(number(strong.getValue("score"), "strong.score", name, number)
                    - number(weak.getValue("score"), "weak.score", name, number));
        }
        throw new TrainingDataException(name, number, "expected \"label\" (reasoning or cheap) or \"target\", or \"gain\","
                + " or \"weak_score\" and \"strong_score\", or \"weak\": {\"score\"} and \"strong\": {\"score\"}");
    }

    private static double number(Object value, String field, String name, int number) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new TrainingDataException(name, number, field + ": " + (value == null ? "missing" : "'" + value + "'")
                + " (expected: a number)");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
