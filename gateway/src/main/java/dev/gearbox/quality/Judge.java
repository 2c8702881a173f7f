package dev.gearbox.quality;

import dev.gearbox.routing.difficulty.MessageText;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the judge model is asked and how its answer is read. The request is a chat completion whose system
 * message is the versioned prompt ({@code judge-v1.txt} in the jar) and whose user message holds the user's
 * request and both answers verbatim, under {@code [Request]}, {@code [A]} and {@code [B]}; its
 * {@code response_format} is a JSON schema for {@code {"winner": "A" | "B" | "tie"}}, so a judge that honours
 * structured output can say nothing else. Which answer is {@code [A]} is the caller's to randomise.
 */
public final class Judge {

    /** The version of the prompt, kept with every verdict it gave. */
    public static final String PROMPT_VERSION = "v1";
    private static final String PROMPT = load("judge-" + PROMPT_VERSION + ".txt");

    /** What the judge said: the answer in that position was better, or neither was. */
    public enum Winner {
        A, B, TIE
    }

    private Judge() {
    }

    /** The judge's request: the user's conversation and tools, and the two answers in the positions given. */
    public static JsonObject request(String judgeModel, JsonObject userRequest, String answerA, String answerB) {
        String compared = "[Request]\n" + conversation(userRequest) + "\n\n[A]\n" + answerA + "\n\n[B]\n" + answerB;
        JsonObject winner = new JsonObject().put("type", "string").put("enum", new JsonArray().add("A").add("B").add("tie"));
        JsonObject schema = new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("winner", winner))
                .put("required", new JsonArray().add("winner")).put("additionalProperties", false);
        return new JsonObject().put("model", judgeModel).put("temperature", 0)
                .put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "system").put("content", PROMPT))
                        .add(new JsonObject().put("role", "user").put("content", compared)))
                .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema",
                        new JsonObject().put("name", "verdict").put("strict", true).put("schema", schema)));
    }

    /**
     * The winner in the judge's answer (a chat completion): its message's JSON, also inside a code fence or
     * after a few words, as judges without structured output write it.
     *
     * @throws IllegalArgumentException when the answer holds no verdict (a refusal, prose, another shape)
     */
    public static Winner read(JsonObject completion) {
        JsonObject message = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject c && c.getValue("message") instanceof JsonObject m ? m : null;
        if (message == null) {
            throw new IllegalArgumentException("the judge's answer has no message");
        }
        String content = MessageText.of(message.getValue("content"));
        int open = content.indexOf('{');
        int close = content.lastIndexOf('}');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("the judge gave no verdict: " + excerpt(content.isEmpty()
                    ? String.valueOf(message.getValue("refusal")) : content));
        }
        Object winner;
        try {
            winner = new JsonObject(content.substring(open, close + 1)).getValue("winner");
        } catch (DecodeException e) {
            throw new IllegalArgumentException("the judge's verdict is not JSON: " + excerpt(content));
        }
        if (winner instanceof String w) {
            switch (w.trim().toUpperCase(Locale.ROOT)) {
                case "A" -> {
                    return Winner.A;
                }
                case "B" -> {
                    return Winner.B;
                }
                case "TIE" -> {
                    return Winner.TIE;
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("winner: " + winner + " (expected: A, B or tie)");
    }

    /**
     * An answer's message as the judge reads it: its text, its refusal, or the tool calls it made, each with its
     * arguments; reasoning is left out, since the user is served the answer.
     */
    public static String answer(JsonObject message) {
        StringBuilder out = new StringBuilder(MessageText.of(message.getValue("content")));
        if (message.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
            out.append(out.length() > 0 ? "\n" : "").append("(refused) ").append(refusal);
        }
        if (message.getValue("tool_calls") instanceof JsonArray calls) {
            for (Object c : calls) {
                if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject f) {
                    out.append(out.length() > 0 ? "\n" : "").append("(calls tool ").append(f.getValue("name"))
                            .append(" with arguments ").append(f.getValue("arguments")).append(')');
                }
            }
        }
        return out.toString();
    }

    /** The user's conversation: each message with its role, then the tools it offered. */
    static String conversation(JsonObject request) {
        StringBuilder out = new StringBuilder();
        if (request.getValue("messages") instanceof JsonArray messages) {
            for (Object m : messages) {
                if (m instanceof JsonObject message) {
                    if (out.length() > 0) {
                        out.append("\n\n");
                    }
                    String said = "assistant".equals(message.getValue("role")) ? answer(message)
                            : MessageText.of(message.getValue("content"));
                    out.append(message.getValue("role")).append(": ").append(said);
                }
            }
        }
        if (request.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            out.append("\n\ntools offered: ").append(tools.encode());
        }
        return out.toString();
    }

    private static String excerpt(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static String load(String name) {
        try (InputStream in = Judge.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
