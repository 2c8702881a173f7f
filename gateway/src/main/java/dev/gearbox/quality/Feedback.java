package dev.gearbox.quality;

import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.JsonValues;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * {@code POST /v1/feedback}: an application's score of an answer it got, {@code {"request_id", "score", "comment"}}.
 * Only the tenant whose key made the request can score it; an id that is unknown, past its window, or another
 * tenant's is the same 404. Feedback given again replaces the first. The comment is kept only where the request's
 * route keeps text, since it may quote the prompt.
 */
public final class Feedback {

    /** The longest comment taken. */
    static final int MAX_COMMENT_CHARS = 4000;

    private final Quality quality;

    private Feedback(Quality quality) {
        this.quality = quality;
    }

    /** @param quality the capability, or null on a gateway without a quality section: every id is then unknown */
    public static Feedback of(Quality quality) {
        return new Feedback(quality);
    }

    /** Records the caller's feedback; fails with the {@link ApiException} to answer. */
    public Future<JsonObject> score(String tenant, JsonObject body) {
        Object id = body.getValue("request_id");
        if (!(id instanceof String requestId) || requestId.isBlank()) {
            throw ApiException.invalidRequest("request_id", "'request_id' is " + JsonValues.describe(id)
                    + "; expected the x-request-id of an answer this key got.");
        }
        Object score = body.getValue("score");
        if (!(score instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
            throw ApiException.invalidRequest("score", "'score' is " + JsonValues.describe(score)
                    + "; expected a number from 0 (the answer did not help) to 1 (it did).");
        }
        Object comment = body.getValue("comment");
        if (comment != null && !(comment instanceof String c && c.length() <= MAX_COMMENT_CHARS)) {
            throw ApiException.invalidRequest("comment", "'comment' is " + JsonValues.describe(comment)
                    + "; expected a string of at most " + MAX_COMMENT_CHARS + " characters.");
        }
        for (String field : body.fieldNames()) {
            if (!field.equals("request_id") && !field.equals("score") && !field.equals("comment")) {
                throw ApiException.invalidRequest(field, "Unrecognized request argument supplied: " + field);
            }
        }
        if (quality == null) {
            return Future.failedFuture(notFound(requestId));
        }
        return quality.store().request(tenant, requestId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(notFound(requestId));
            }
            RequestRecord record = found.get();
            boolean text = quality.storeText(quality.rules().current(), record.route());
            QualityLabel.Scored label = new QualityLabel.Scored(record, quality.clock().instant(), n.doubleValue(),
                    text ? (String) comment : null);
            LocalDate day = quality.day(record.at());
            return quality.store().keep(label, day, quality.retentionEnd(day)).map(v -> {
                quality.events().feedback(record.route(), record.tier(), label.score());
                return new JsonObject().put("object", "feedback").put("request_id", requestId).put("score", label.score())
                        .put("recorded", true);
            });
        });
    }

    private static ApiException notFound(String requestId) {
        return new ApiException(404, "invalid_request_error", "request_not_found", "request_id", "No request with id '"
                + requestId + "' can be scored with this key: it is unknown, its feedback window has closed, or it was"
                + " another tenant's.");
    }
}
