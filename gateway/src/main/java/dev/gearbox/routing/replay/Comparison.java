package dev.gearbox.routing.replay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changes when the same traffic is routed by two versions of the rules: how many requests move to
 * another tier or model, the tier shares and the estimated cost before and after, and a few of the moved
 * requests. Not thread-safe; one comparison is filled by one thread.
 */
public final class Comparison {

    private final int maxExamples;
    private int requests;
    private int tierChanged;
    private int modelChanged;
    private int guessed;
    private double costBefore;
    private double costAfter;
    private final Map<String, Integer> tiersBefore = new TreeMap<>();
    private final Map<String, Integer> tiersAfter = new TreeMap<>();
    private final Map<String, Integer> moves = new TreeMap<>();
    private final List<Moved> examples = new ArrayList<>();

    /**
     * One request that moved.
     *
     * @param id the request's id in the traffic
     * @param excerpt the head of its prompt, or null when its text was not kept
     */
    public record Moved(String id, String excerpt, Outcome before, Outcome after) {
    }

    /** @param maxExamples how many moved requests to keep, the first ones */
    public Comparison(int maxExamples) {
        if (maxExamples < 0) {
            throw new IllegalArgumentException("maxExamples: " + maxExamples + " (expected: >= 0)");
        }
        this.maxExamples = maxExamples;
    }

    /**
     * Counts one request.
     *
     * @param guess whether either decision read what the replayed request did not keep (its text, a header)
     */
    public void add(String id, String excerpt, Outcome before, Outcome after, boolean guess) {
        requests++;
        guessed += guess ? 1 : 0;
        tiersBefore.merge(before.tier(), 1, Integer::sum);
        tiersAfter.merge(after.tier(), 1, Integer::sum);
        boolean tierMoved = !before.tier().equals(after.tier());
        boolean modelMoved = !before.model().equals(after.model());
        if (tierMoved) {
            tierChanged++;
            moves.merge(before.tier() + " -> " + after.tier(), 1, Integer::sum);
        }
        if (modelMoved) {
            modelChanged++;
        }
        if ((tierMoved || modelMoved) && examples.size() < maxExamples) {
            examples.add(new Moved(id, excerpt, before, after));
        }
        costBefore += before.costUsd();
        costAfter += after.costUsd();
    }

    public int requests() {
        return requests;
    }

    public int tierChanged() {
        return tierChanged;
    }

    public int modelChanged() {
        return modelChanged;
    }

    /** Requests whose decision read text or headers their record did not keep. */
    public int guessed() {
        return guessed;
    }

    public double costBefore() {
        return costBefore;
    }

    public double costAfter() {
        return costAfter;
    }

    /** Requests per tier, before and after, every tier of either side in both. */
    public Map<String, int[]> tiers() {
        Map<String, int[]> out = new TreeMap<>();
        tiersBefore.forEach((tier, n) -> out.computeIfAbsent(tier, t -> new int[2])[0] = n);
        tiersAfter.forEach((tier, n) -> out.computeIfAbsent(tier, t -> new int[2])[1] = n);
        return out;
    }

    /** Requests per move from one tier to another, as {@code "cheap -> reasoning"}. */
    public Map<String, Integer> moves() {
        return java.util.Collections.unmodifiableMap(moves);
    }

    public List<Moved> examples() {
        return List.copyOf(examples);
    }

    public JsonObject json() {
        JsonArray tiers = new JsonArray();
        tiers().forEach((tier, n) -> tiers.add(new JsonObject().put("tier", tier).put("before", n[0]).put("after", n[1])));
        JsonArray moved = new JsonArray();
        for (Moved m : examples) {
            moved.add(new JsonObject().put("id", m.id()).put("excerpt", m.excerpt())
                    .put("before", outcome(m.before())).put("after", outcome(m.after())));
        }
        JsonObject byMove = new JsonObject();
        moves.forEach(byMove::put);
        return new JsonObject().put("requests", requests).put("tier_changed", tierChanged).put("model_changed", modelChanged)
                .put("guessed", guessed).put("cost_before_usd", costBefore).put("cost_after_usd", costAfter)
                .put("tiers", tiers).put("moves", byMove).put("examples", moved);
    }

    private static JsonObject outcome(Outcome o) {
        return new JsonObject().put("route", o.route()).put("tier", o.tier()).put("model", o.model())
                .put("cost_usd", o.costUsd()).put("error", o.error());
    }
}
