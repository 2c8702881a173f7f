package dev.gearbox.cost;

import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Counts the tokens of an answer whose provider reported none, or whose stream was cut short. */
public final class UsageEstimator {

    private UsageEstimator() {
    }

    /** The generated text of a whole chat completion or of one stream chunk: content, reasoning and tool arguments. */
    public static void appendGeneratedText(JsonObject completion, StringBuilder out) {
        if (!(completion.getValue("choices") instanceof JsonArray choices)) {
            return;
        }
        for (Object c : choices) {
            if (!(c instanceof JsonObject choice)) {
                continue;
            }
            Object part = choice.getValue("message") instanceof JsonObject m ? m : choice.getValue("delta");
            if (!(part instanceof JsonObject message)) {
                continue;
            }
            append(out, message.getValue("content"));
            append(out, message.getValue("reasoning_content"));
            if (message.getValue("tool_calls") instanceof JsonArray calls) {
                for (Object call : calls) {
                    if (call instanceof JsonObject tc && tc.getValue("function") instanceof JsonObject f) {
                        append(out, f.getValue("name"));
                        append(out, f.getValue("arguments"));
                    }
                }
            }
        }
    }

    /** Estimated usage: the routing estimate of the prompt and the counted completion. */
    public static Usage estimate(int promptTokens, String completionText) {
        return Usage.estimated(Math.max(0, promptTokens), TokenCounter.shared().count(completionText));
    }

    private static void append(StringBuilder out, Object text) {
        if (text instanceof String s) {
            out.append(s);
        }
    }
}
