package dev.gearbox.providers.simulated;

import dev.gearbox.providers.UpstreamResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A simulated moderation model, in the shape of OpenAI's {@code omni-moderation}: a category is flagged when
 * the text holds one of its words, and every score is a pure function of the input, so the same input is
 * always classified the same way.
 */
final class SimulatedModerations {

    /** OpenAI's categories, each with the words that flag it here. */
    private static final Map<String, List<String>> CATEGORIES = orderedCategories();
    /** The categories OpenAI also scores images for. */
    private static final Set<String> IMAGE_CATEGORIES = Set.of("sexual", "self-harm", "self-harm/intent",
            "self-harm/instructions", "violence", "violence/graphic");

    private static Map<String, List<String>> orderedCategories() {
        Map<String, List<String>> categories = new java.util.LinkedHashMap<>();
        categories.put("harassment", List.of("idiot", "stupid", "loser"));
        categories.put("harassment/threatening", List.of("i will hurt you", "i will kill you"));
        categories.put("sexual", List.of("explicit sex"));
        categories.put("hate", List.of("hate"));
        categories.put("hate/threatening", List.of("exterminate them"));
        categories.put("illicit", List.of("steal", "drugs"));
        categories.put("illicit/violent", List.of("build a bomb"));
        categories.put("self-harm/intent", List.of("hurt myself"));
        categories.put("self-harm/instructions", List.of("how to self-harm"));
        categories.put("self-harm", List.of("hurt myself", "self-harm"));
        categories.put("sexual/minors", List.of("sexual content involving minors"));
        categories.put("violence", List.of("kill", "murder", "attack", "hurt"));
        categories.put("violence/graphic", List.of("blood", "gore"));
        return java.util.Collections.unmodifiableMap(categories);
    }

    UpstreamResponse answer(JsonObject body, String model) {
        List<String> texts = new ArrayList<>();
        boolean images = false;
        Object input = body.getValue("input");
        if (input instanceof String s) {
            texts.add(s);
        } else if (input instanceof JsonArray items && items.stream().allMatch(i -> i instanceof String)) {
            items.forEach(i -> texts.add((String) i));
        } else if (input instanceof JsonArray parts) {
            // Parts are one input together, as OpenAI classifies a text with its images.
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                    text.append(t).append(' ');
                } else {
                    images = true;
                }
            }
            texts.add(text.toString());
        }
        JsonArray results = new JsonArray();
        for (String text : texts) {
            results.add(result(text, images));
        }
        long hash = hash(body.encode());
        JsonObject answer = new JsonObject().put("id", "modr-" + Long.toHexString(hash)).put("model", model)
                .put("results", results);
        return SimulatedProvider.SimulatedResponse.json(200, answer.toBuffer());
    }

    private static JsonObject result(String text, boolean images) {
        String lower = text.toLowerCase(Locale.ROOT);
        JsonObject categories = new JsonObject();
        JsonObject scores = new JsonObject();
        JsonObject applied = new JsonObject();
        boolean flagged = false;
        for (Map.Entry<String, List<String>> category : CATEGORIES.entrySet()) {
            boolean hit = category.getValue().stream().anyMatch(lower::contains);
            double jitter = (hash(category.getKey() + "\u0000" + text) >>> 11) / (double) (1L << 53);
            flagged |= hit;
            categories.put(category.getKey(), hit);
            scores.put(category.getKey(), hit ? 0.9 + 0.09 * jitter : 0.01 * jitter);
            JsonArray types = new JsonArray().add("text");
            if (images && IMAGE_CATEGORIES.contains(category.getKey())) {
                types.add("image");
            }
            applied.put(category.getKey(), types);
        }
        return new JsonObject().put("flagged", flagged).put("categories", categories).put("category_scores", scores)
                .put("category_applied_input_types", applied);
    }

    /** FNV-1a: stable across runs and JVMs, unlike {@code String.hashCode} mixing. */
    private static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
