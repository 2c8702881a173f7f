package dev.gearbox.providers.simulated;

import dev.gearbox.config.SimulationConfig;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a simulated model's answer to a chat request.
 *
 * <p>The answer is a pure function of the request, so tests and benchmarks can rely on it: the same
 * messages give the same text. Token counts are real counts of that text.
 */
final class SimulatedChat {

    private final TokenCounter tokens;

    SimulatedChat(TokenCounter tokens) {
        this.tokens = tokens;
    }

    SimulatedAnswer answer(JsonObject body, SimulationConfig sim) {
        JsonArray messages = body.getJsonArray("messages");
        long seed = seed(body);
        int n = body.getValue("n") instanceof Number num ? Math.max(1, num.intValue()) : 1;
        Integer limit = limit(body);
        List<String> stops = stops(body.getValue("stop"));
        String topic = topic(messages);
        JsonObject tool = toolToCall(body, messages);

        List<SimulatedAnswer.Choice> choices = new ArrayList<>(n);
        int completion = 0;
        int reasoningTotal = 0;
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * i);
            int budget = limit == null ? Integer.MAX_VALUE : limit;
            String reasoning = null;
            if (sim.reasoning()) {
                reasoning = text("Let me think about " + topic + ".", rng, (int) Math.round(2 * target(sim, rng) * effort(body)));
                reasoning = cap(reasoning, budget);
                int used = tokens.count(reasoning);
                reasoningTotal += used;
                completion += used;
                budget -= used;
            }
            if (budget <= 0) {
                choices.add(new SimulatedAnswer.Choice(reasoning, "", null, "length"));
                continue;
            }
            if (tool != null) {
                JsonObject function = tool.getJsonObject("function");
                String name = function.getString("name");
                String arguments = ((JsonObject) SchemaSample.of(parameters(function), null, rng)).encode();
                String callId = "call_" + hex(rng.nextLong()) + hex(rng.nextLong()).substring(0, 8);
                // A call's arguments count as output, within max_tokens as a real model's do: cut at the limit.
                String capped = cap(arguments, Math.max(0, budget - tokens.count(name)));
                completion += tokens.count(name) + tokens.count(capped);
                choices.add(new SimulatedAnswer.Choice(reasoning, null,
                        new SimulatedAnswer.ToolCall(callId, name, capped), capped.equals(arguments) ? "tool_calls" : "length"));
                continue;
            }
            String content = content(body, topic, sim, rng);
            String finish = "stop";
            int stopAt = firstStop(content, stops);
            if (stopAt >= 0) {
                content = content.substring(0, stopAt);
            }
            String capped = cap(content, budget);
            if (!capped.equals(content)) {
                finish = "length";
            }
            completion += tokens.count(capped);
            choices.add(new SimulatedAnswer.Choice(reasoning, capped, null, finish));
        }
        int prompt = tokens.countMessages(messages);
        if (body.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            prompt += tokens.count(tools.encode());
        }
        return new SimulatedAnswer("chatcmpl-" + hex(seed), choices, prompt, completion, reasoningTotal);
    }

    private String content(JsonObject body, String topic, SimulationConfig sim, SplittableRandom rng) {
        JsonObject format = body.getValue("response_format") instanceof JsonObject f ? f : null;
        String type = format == null ? "text" : String.valueOf(format.getValue("type"));
        if ("json_schema".equals(type) && format.getValue("json_schema") instanceof JsonObject js) {
            Object sample = SchemaSample.of(js.getValue("schema"), null, rng);
            return sample instanceof JsonObject o ? o.encode() : String.valueOf(sample);
        }
        if ("json_object".equals(type)) {
            return new JsonObject().put("topic", topic).put("answer", text("", rng, target(sim, rng))).encode();
        }
        return text("On " + topic + ":", rng, target(sim, rng));
    }

    /**
     * How much longer than at the default effort (medium) the model thinks at the request's
     * {@code reasoning_effort}, as a real reasoning model does: half as long at low, twice at high.
     */
    private static double effort(JsonObject body) {
        return switch (body.getValue("reasoning_effort") instanceof String e ? e : "medium") {
            case "none" -> 0.05;
            case "minimal" -> 0.25;
            case "low" -> 0.5;
            case "high" -> 2;
            default -> 1;
        };
    }

    private int target(SimulationConfig sim, SplittableRandom rng) {
        int base = sim.answerTokens();
        return Math.max(1, base * 7 / 10 + rng.nextInt(Math.max(1, base * 6 / 10)));
    }

    /** Sentences after a lead until the text holds about {@code targetTokens} tokens. */
    private String text(String lead, SplittableRandom rng, int targetTokens) {
        StringBuilder out = new StringBuilder(lead);
        int count = tokens.count(lead);
        while (count < targetTokens) {
            int start = out.length();
            if (start > 0) {
                out.append(' ');
            }
            Words.sentence(rng, out);
            count += tokens.count(out.substring(start));
        }
        return out.toString();
    }

    private String cap(String text, int budget) {
        return budget == Integer.MAX_VALUE ? text : tokens.truncate(text, budget);
    }

    private static Integer limit(JsonObject body) {
        Object limit = body.getValue("max_completion_tokens");
        if (!(limit instanceof Number)) {
            limit = body.getValue("max_tokens");
        }
        return limit instanceof Number n ? Math.max(1, n.intValue()) : null;
    }

    private static List<String> stops(Object stop) {
        if (stop instanceof String s && !s.isEmpty()) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        if (stop instanceof JsonArray array) {
            for (Object s : array) {
                if (s instanceof String str && !str.isEmpty()) {
                    out.add(str);
                }
            }
        }
        return out;
    }

    private static int firstStop(String content, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = content.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** The function to call, or null when the model should answer in text. */
    private static JsonObject toolToCall(JsonObject body, JsonArray messages) {
        if (!(body.getValue("tools") instanceof JsonArray tools) || tools.isEmpty()) {
            return null;
        }
        Object choice = body.getValue("tool_choice");
        if ("none".equals(choice)) {
            return null;
        }
        boolean forced = "required".equals(choice) || choice instanceof JsonObject;
        // After a tool result the model answers in text, unless the client insists on another call.
        if (!forced && lastRole(messages).equals("tool")) {
            return null;
        }
        String wanted = choice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
                ? f.getString("name") : null;
        for (Object item : tools) {
            if (item instanceof JsonObject t && t.getValue("function") instanceof JsonObject f
                    && f.getValue("name") instanceof String name && (wanted == null || wanted.equals(name))) {
                return t;
            }
        }
        return null;
    }

    private static Object parameters(JsonObject function) {
        Object parameters = function.getValue("parameters");
        return parameters instanceof JsonObject ? parameters : new JsonObject().put("type", "object");
    }

    private static String lastRole(JsonArray messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.getValue(i) instanceof JsonObject m && m.getValue("role") instanceof String role) {
                return role;
            }
        }
        return "";
    }

    /** The first words of the last user message, which the answer is about. */
    private static String topic(JsonArray messages) {
        String text = "";
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.getValue(i) instanceof JsonObject m && "user".equals(m.getValue("role"))) {
                text = textOf(m.getValue("content"));
                break;
            }
        }
        String[] words = text.trim().split("\\s+", 9);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(8, words.length); i++) {
            if (!words[i].isEmpty()) {
                out.append(out.length() == 0 ? "" : " ").append(words[i]);
            }
        }
        return out.length() == 0 ? "your request" : "\"" + out + "\"";
    }

    private static String textOf(Object content) {
        if (content instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        if (content instanceof JsonArray parts) {
            for (Object part : parts) {
                if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                    out.append(t).append(' ');
                }
            }
        }
        return out.toString();
    }

    private static long seed(JsonObject body) {
        long hash = 0xcbf29ce484222325L;
        byte[] bytes = (body.getValue("messages").toString() + '|' + body.getValue("model") + '|'
                + body.getValue("seed")).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static String hex(long value) {
        return String.format("%016x", value);
    }
}
