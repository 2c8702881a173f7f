package dev.gearbox.quality;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * One day of the single-node quality log: its labels (oldest first), its tally, the feedback scores by request
 * (so feedback given again replaces its score), its shadow spend by route and in all, and when it is forgotten.
 * Confined to {@link InProcessQualityStore}'s lock.
 */
final class LogDay {

    /** A label and what it takes of the store's bound. */
    record Kept(QualityLabel label, int bytes) {
    }

    Instant until;
    final LinkedHashMap<String, Kept> labels = new LinkedHashMap<>();
    /** Verdicts by {@code route<US>tier<US>verdict}. */
    final Map<String, Long> verdicts = new TreeMap<>();
    /** Feedback count and sum by {@code route<US>tier}. */
    final Map<String, double[]> feedback = new TreeMap<>();
    final Map<String, Double> scores = new HashMap<>();
    final Map<String, Double> spend = new TreeMap<>();
    double spent;

    /** A copy to write out: the labels are immutable, so only the maps are copied. */
    LogDay copy() {
        LogDay c = new LogDay();
        c.until = until;
        c.labels.putAll(labels);
        c.verdicts.putAll(verdicts);
        feedback.forEach((k, f) -> c.feedback.put(k, f.clone()));
        c.scores.putAll(scores);
        c.spend.putAll(spend);
        c.spent = spent;
        return c;
    }

    JsonObject toJson() {
        JsonArray kept = new JsonArray();
        labels.values().forEach(k -> kept.add(k.label().toJson()));
        JsonObject sums = new JsonObject();
        feedback.forEach((key, f) -> sums.put(key, new JsonArray().add(f[0]).add(f[1])));
        return new JsonObject().put("until", until.toString()).put("labels", kept)
                .put("verdicts", new JsonObject(new HashMap<>(verdicts))).put("feedback", sums)
                .put("scores", new JsonObject(new HashMap<>(scores))).put("spend", new JsonObject(new HashMap<>(spend)))
                .put("spent", spent);
    }

    /** @param bytes what a label's request takes of the store's bound */
    static LogDay fromJson(JsonObject json, ToIntFunction<RequestRecord> bytes) {
        LogDay d = new LogDay();
        d.until = Instant.parse(json.getString("until"));
        for (Object l : json.getJsonArray("labels")) {
            QualityLabel label = QualityLabel.fromJson((JsonObject) l);
            d.labels.put(label.source() + ":" + label.request().requestId(), new Kept(label, bytes.applyAsInt(label.request())));
        }
        json.getJsonObject("verdicts").forEach(v -> d.verdicts.put(v.getKey(), ((Number) v.getValue()).longValue()));
        json.getJsonObject("feedback").forEach(f -> {
            JsonArray a = (JsonArray) f.getValue();
            d.feedback.put(f.getKey(), new double[] {a.getDouble(0), a.getDouble(1)});
        });
        json.getJsonObject("scores").forEach(s -> d.scores.put(s.getKey(), ((Number) s.getValue()).doubleValue()));
        json.getJsonObject("spend").forEach(s -> d.spend.put(s.getKey(), ((Number) s.getValue()).doubleValue()));
        d.spent = json.getDouble("spent");
        return d;
    }
}
