package dev.gearbox.quality;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What the quality log learned of a request: a judge's verdict on its answer against the other tier's, or its
 * application's feedback. Each is one line of {@code GET /admin/quality/labels}, with the request's record and
 * a need {@link #label()} the trainer reads.
 */
public sealed interface QualityLabel permits QualityLabel.Judged, QualityLabel.Scored {

    /** The tier whose answer feedback on says whether the request needed more. */
    String CHEAP = "cheap";
    String REASONING = "reasoning";

    RequestRecord request();

    /** When the label was made. */
    Instant at();

    /** How much the request needed the reasoning tier: 1 when it was better, 0 when not, ½ for a tie. */
    double label();

    /** How much the label counts in training; 0 for one that says nothing of the need. */
    double weight();

    /** The kind of label, as the log keys and the labels line name it: {@code verdict} or {@code feedback}. */
    String source();

    JsonObject toJson();

    /**
     * A judge's verdict.
     *
     * @param comparison what the judge found
     * @param shadowModel the other tier's model, asked the same request after the answer was sent
     * @param judgeModel the model that judged
     * @param judgePrompt the version of the judge's prompt
     * @param shadowAnswer the other tier's answer, where the route keeps text; else null
     */
    record Judged(RequestRecord request, Instant at, Comparison comparison, String shadowModel, String judgeModel,
                  String judgePrompt, String shadowAnswer) implements QualityLabel {
        public Judged {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(comparison, "comparison");
            Objects.requireNonNull(shadowModel, "shadowModel");
            Objects.requireNonNull(judgeModel, "judgeModel");
            Objects.requireNonNull(judgePrompt, "judgePrompt");
        }

        @Override
        public double label() {
            return comparison.label();
        }

        @Override
        public double weight() {
            return 1;
        }

        @Override
        public String source() {
            return "verdict";
        }

        @Override
        public JsonObject toJson() {
            JsonObject out = request.toJson().put("source", source()).put("label", label()).put("weight", weight())
                    .put("verdict", comparison.wireName()).put("shadow_model", shadowModel).put("judge_model", judgeModel)
                    .put("judge_prompt", judgePrompt).put("labelled_at", at.toString());
            if (shadowAnswer != null) {
                out.put("shadow_answer", shadowAnswer);
            }
            return out;
        }
    }

    /**
     * An application's feedback on the answer it got.
     *
     * @param score how much the answer helped, from 0 to 1
     * @param comment what the application said of it, where the route keeps text; else null
     */
    record Scored(RequestRecord request, Instant at, double score, String comment) implements QualityLabel {
        public Scored {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(at, "at");
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score: " + score + " (expected: from 0 to 1)");
            }
        }

        /**
         * On a cheap answer, how far it fell short: a cheap answer that did not help says the request needed more.
         * A reasoning answer's score says nothing of whether a cheap one would have done, so it weighs 0.
         */
        @Override
        public double label() {
            return CHEAP.equals(request.tier()) ? 1 - score : 0.5;
        }

        @Override
        public double weight() {
            return CHEAP.equals(request.tier()) ? 1 : 0;
        }

        @Override
        public String source() {
            return "feedback";
        }

        @Override
        public JsonObject toJson() {
            JsonObject out = request.toJson().put("source", source()).put("label", label()).put("weight", weight())
                    .put("score", score).put("labelled_at", at.toString());
            if (comment != null) {
                out.put("comment", comment);
            }
            return out;
        }
    }

    /** Reads a label back from {@link #toJson()}. */
    static QualityLabel fromJson(JsonObject json) {
        RequestRecord request = RequestRecord.fromJson(json);
        Instant at = Instant.parse(json.getString("labelled_at"));
        if ("verdict".equals(json.getString("source"))) {
            return new Judged(request, at, Comparison.ofWire(json.getString("verdict")), json.getString("shadow_model"),
                    json.getString("judge_model"), json.getString("judge_prompt"), json.getString("shadow_answer"));
        }
        return new Scored(request, at, json.getDouble("score"), json.getString("comment"));
    }
}
