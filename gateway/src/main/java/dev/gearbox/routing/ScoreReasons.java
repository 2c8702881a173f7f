package dev.gearbox.routing;

import dev.gearbox.routing.difficulty.ScoreExplainer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The reasons behind a request's difficulty score, as explain and the {@code route} command show them. */
public final class ScoreReasons {

    /** Reasons explain lists; the route command shows fewer, on one line. */
    static final int EXPLAIN = 8;

    private ScoreReasons() {
    }

    /** The strongest reasons behind a request's score, for explain: kind, name, what matched, and the contribution. */
    static JsonArray json(RequestFeatures request, RoutingTable table) {
        JsonArray out = new JsonArray();
        for (ScoreExplainer.Reason r : ScoreExplainer.explain(table.weights().model(), request.conversation(), EXPLAIN).reasons()) {
            out.add(new JsonObject().put("kind", r.kind().name().toLowerCase(Locale.ROOT)).put("name", r.name())
                    .put("matched", r.matched().isEmpty() ? null : new JsonArray(r.matched()))
                    .put("contribution", Math.round(r.contribution() * 1000) / 1000.0));
        }
        return out;
    }

    /** The strongest {@code top} reasons as short text, e.g. {@code "proof or derivation (prove, show that) +0.42"}. */
    public static JsonArray brief(RequestFeatures request, RoutingTable table, int top) {
        JsonArray out = new JsonArray();
        for (ScoreExplainer.Reason r : ScoreExplainer.explain(table.weights().model(), request.conversation(), top).reasons()) {
            if (r.kind() == ScoreExplainer.Kind.BASE) {
                continue;
            }
            String name = switch (r.kind()) {
                case WORD -> "'" + r.name() + "'";
                case EXPERT -> "like " + r.name() + " (" + String.join(", ", r.matched()) + ")";
                case SIGNAL -> r.name() + " (" + String.join(", ", r.matched()) + ")";
                case SHAPE, BASE -> r.name();
            };
            out.add(String.format(Locale.ROOT, "%s %+.2f", name, r.contribution()));
        }
        return out;
    }
}
