package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.FeatureRow;
import dev.gearbox.routing.difficulty.Prompt;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the labels a gateway collected from its own traffic, the lines of {@code GET /admin/quality/labels}:
 * {@code "label"} is how much the request needed the reasoning tier (1 when a judge found the reasoning
 * tier's answer better, 0 when not, 0.5 for a tie; for feedback on a cheap answer, 1 minus its score), and
 * the request is its {@code "features"} ({@link FeatureRow#encode()}), or its text ({@code "prompt"}, or
 * {@code "messages"} and {@code "tools"}) where a route kept it. {@code "weight"} (default 1) is how much it
 * counts; a line of weight 0 (feedback on a reasoning answer, which says nothing of whether a cheap one
 * would have done) is read and skipped. Every label is of group {@value #GROUP}.
 */
public final class LabelData {

    /** The group of every label, as the trainer reports it. */
    public static final String GROUP = "labels";

    /**
     * @param examples the labels to train on
     * @param skipped lines of weight 0
     */
    public record Labels(List<Example> examples, int skipped) {
        public Labels {
            examples = List.copyOf(examples);
        }
    }

    private LabelData() {
    }

    public static Labels read(String name, BufferedReader in) {
        List<Example> out = new ArrayList<>();
        int skipped = 0;
        int number = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Example example = parse(line, name, number);
                if (example == null) {
                    skipped++;
                } else {
                    out.add(example);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new TrainingDataException(name, number, "no labels to train on" + (skipped > 0 ? " (" + skipped
                    + " of weight 0)" : "") + " (expected: the lines of GET /admin/quality/labels)");
        }
        return new Labels(out, skipped);
    }

    /** The label on a line, or null for a line of weight 0. */
    private static Example parse(String line, String name, int number) {
        JsonObject row;
        try {
            row = new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
            throw new TrainingDataException(name, number, "not a JSON object");
        }
        double label = number(row.getValue("label"), "label", name, number);
        if (!(label >= 0 && label <= 1)) {
            throw new TrainingDataException(name, number, "label: " + label + " (expected: from 0 to 1)");
        }
        double weight = row.getValue("weight") == null ? 1 : number(row.getValue("weight"), "weight", name, number);
        if (!(weight >= 0)) {
            throw new TrainingDataException(name, number, "weight: " + weight + " (expected: >= 0)");
        }
        if (weight == 0) {
            return null;
        }
        Object id = row.getValue("request_id") != null ? row.getValue("request_id") : row.getValue("id");
        return new Example(id == null ? name + ":" + number : String.valueOf(id), GROUP, prompt(row, name, number),
                new Label.Need(label), weight, false);
    }

    private static Prompt prompt(JsonObject row, String name, int number) {
        if (row.getValue("features") instanceof String features) {
            try {
                return FeatureRow.decode(features);
            } catch (IllegalArgumentException e) {
                throw new TrainingDataException(name, number, e.getMessage());
            }
        }
        if (row.getValue("messages") instanceof JsonArray messages) {
            return Conversation.of(messages, row.getValue("tools") instanceof JsonArray t && !t.isEmpty());
        }
        if (row.getValue("prompt") instanceof String prompt) {
            return Conversation.of(prompt);
        }
        throw new TrainingDataException(name, number, "expected \"features\" (as /admin/quality/labels gives them), "
                + "or the request's text in \"prompt\" or \"messages\"");
    }

    private static double number(Object value, String field, String name, int number) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new TrainingDataException(name, number, field + ": " + (value == null ? "missing" : "'" + value + "'")
                + " (expected: a number)");
    }
}
