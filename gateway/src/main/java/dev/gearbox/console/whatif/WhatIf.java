package dev.gearbox.console.whatif;

import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesException;
import dev.gearbox.routing.RulesText;
import dev.gearbox.routing.replay.Comparison;
import dev.gearbox.routing.replay.Outcome;
import dev.gearbox.routing.replay.Replay;
import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What an edit of the rule files would do: validated by the gateway's own compiler against its config and the
 * difficulty weights in force, then run on recent traffic ({@link TrafficSample}) or on uploaded JSON lines,
 * beside the rules in force. Both sides are compiled afresh from text, so the rules in force, and the
 * thresholds their {@code target_share} conditions keep, are never touched; nothing is written anywhere.
 * Blocks for as long as routing the traffic takes: call it on a worker.
 */
public final class WhatIf {

    /** The most uploaded lines a run replays; more is a file for {@code gearbox.jar route --compare}. */
    public static final int MAX_LINES = 10_000;
    static final int EXAMPLES = 10;
    static final int EXCERPT_CHARS = 160;

    private final RoutingRules rules;
    private final TrafficSample sample;
    private final LatencyStats latency;
    private final TokenCounter tokens;

    /** @param sample recent traffic, or null when none is kept */
    public WhatIf(RoutingRules rules, TrafficSample sample, LatencyStats latency, TokenCounter tokens) {
        this.rules = rules;
        this.sample = sample;
        this.latency = latency;
        this.tokens = tokens;
    }

    /** The rule files in force, as an edit starts from them, and what traffic there is to run it on. */
    public JsonObject inForce() {
        RoutingTable table = rules.current();
        List<TrafficSample.Sampled> recent = sample == null ? List.of() : sample.recent();
        return new JsonObject().put("version", table.version()).put("origin", table.text().origin())
                .put("models", table.text().models()).put("routes", table.text().routes())
                .put("sample", new JsonObject().put("requests", recent.size())
                        .put("capacity", sample == null ? 0 : sample.capacity())
                        .put("with_text", recent.stream().filter(s -> s.request().hasText()).count())
                        .put("keeps_text", sample != null && sample.keepsText()));
    }

    /** Whether the edit compiles: its version, or the problems with file, line and field. */
    public JsonObject validate(String models, String routes) {
        try {
            RoutingTable edited = compile(models, routes);
            return new JsonObject().put("valid", true).put("version", edited.version()).put("routes", edited.rules().size());
        } catch (RulesException e) {
            return invalid(e);
        }
    }

    /**
     * Runs the edit on traffic beside the rules in force.
     *
     * @param models the edited models.yaml, or null to keep the one in force
     * @param traffic uploaded JSON lines ({@code route --compare}'s format), or null for the recent traffic
     */
    public JsonObject run(String models, String routes, String traffic) {
        RoutingTable inForce = rules.current();
        String editedModels = models == null ? inForce.text().models() : models;
        RoutingTable edited;
        try {
            edited = compile(editedModels, routes);
        } catch (RulesException e) {
            return invalid(e);
        }
        Replay before = new Replay(rules.check(inForce.text()), latency);
        Replay after = new Replay(edited, latency);
        Comparison comparison = new Comparison(EXAMPLES);
        JsonObject source = traffic == null ? replaySample(before, after, comparison) : replayUpload(traffic, before, after, comparison);
        String diff = LineDiff.unified("models.yaml", inForce.text().models(), editedModels)
                + LineDiff.unified("routes.yaml", inForce.text().routes(), routes);
        return new JsonObject().put("valid", true).put("version_before", inForce.version()).put("version_after", edited.version())
                .put("traffic", source).put("comparison", comparison.json()).put("diff", diff);
    }

    private RoutingTable compile(String models, String routes) {
        RulesText inForce = rules.current().text();
        return rules.check(new RulesText(models == null ? inForce.models() : models, routes, inForce.origin()));
    }

    private JsonObject replaySample(Replay before, Replay after, Comparison comparison) {
        List<TrafficSample.Sampled> recent = sample == null ? List.of() : sample.recent();
        int withText = 0;
        for (TrafficSample.Sampled s : recent) {
            withText += s.request().hasText() ? 1 : 0;
            RequestFeatures first = s.request().features(tokens);
            RequestFeatures second = s.request().features(tokens);
            Outcome was = before.route(first, s.budget());
            Outcome would = after.route(second, s.budget());
            comparison.add(Instant.ofEpochMilli(s.atMs()).toString(), excerpt(s.request().lastUserMessage()), was, would,
                    first.readWithheld() || second.readWithheld());
        }
        return new JsonObject().put("source", "sample").put("requests", recent.size()).put("with_text", withText);
    }

    private JsonObject replayUpload(String traffic, Replay before, Replay after, Comparison comparison) {
        String[] lines = traffic.split("\n", -1);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            if (++count > MAX_LINES) {
                throw ApiException.invalidRequest("traffic", "traffic: more than " + MAX_LINES
                        + " lines (expected: at most that many; replay more with gearbox.jar route --compare)");
            }
            JsonObject line;
            try {
                line = new JsonObject(lines[i]);
            } catch (DecodeException | ClassCastException e) {
                throw ApiException.invalidRequest("traffic", "traffic: line " + (i + 1) + ": not a JSON object");
            }
            RequestFeatures first = Replay.features(line, tokens);
            Outcome was = before.route(first, Budget.NONE);
            Outcome would = after.route(Replay.features(line, tokens), Budget.NONE);
            comparison.add(line.getValue("id") == null ? "line " + (i + 1) : String.valueOf(line.getValue("id")),
                    excerpt(first.lastUserMessage()), was, would, false);
        }
        return new JsonObject().put("source", "upload").put("requests", count).put("with_text", count);
    }

    private static JsonObject invalid(RulesException e) {
        return new JsonObject().put("valid", false).put("problems", RuleProblems.json(e.problems()));
    }

    private static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }
}
