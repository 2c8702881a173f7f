package dev.gearbox.admin;

import dev.gearbox.quality.Quality;
import dev.gearbox.quality.QualityLabel;
import dev.gearbox.quality.QualityStore;
import dev.gearbox.quality.QualityTally;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /admin/quality}: per route, the judges' verdicts, the feedback and the shadow spend over the
 * retention, with the quality the cheap tier retained; and {@code GET /admin/quality/labels[?from=&to=]}, every
 * verdict and feedback kept, as JSON lines for {@code train-router --labels}, streamed a page of the store at a
 * time with the client's pace. Both read the store every replica shares, so any replica answers the same.
 */
public final class QualityAdminHandler {

    private final Quality quality;

    private QualityAdminHandler(Quality quality) {
        this.quality = quality;
    }

    /** @param quality the capability, or null on a gateway without a quality section (nothing to show) */
    public static QualityAdminHandler of(Quality quality) {
        return new QualityAdminHandler(quality);
    }

    public void show(RoutingContext rc) {
        if (quality == null) {
            send(rc, new JsonObject().put("routes", new JsonArray()).put("enabled", false));
            return;
        }
        QualityStore store = quality.store();
        store.tally(quality.retainedDays()).compose(tally -> store.spent(quality.today()).map(spent -> {
            JsonArray routes = new JsonArray();
            tally.routes().forEach(r -> routes.add(route(r)));
            return new JsonObject().put("routes", routes).put("enabled", true)
                    .put("retention_days", quality.config().retentionDays())
                    .put("shadow", new JsonObject().put("sample_rate", quality.config().shadow().sampleRate())
                            .put("judge_model", quality.config().shadow().judgeModel())
                            .put("daily_budget_usd", quality.config().shadow().dailyBudgetUsd())
                            .put("spent_today_usd", spent));
        })).onSuccess(body -> send(rc, body)).onFailure(e -> rc.fail(unavailable(e)));
    }

    private static JsonObject route(QualityTally.RouteReport r) {
        return new JsonObject().put("route", r.route())
                .put("verdicts", new JsonObject().put("cheap_better", r.cheapBetter()).put("tie", r.tie())
                        .put("reasoning_better", r.reasoningBetter()))
                .put("feedback", new JsonObject().put("count", r.feedbackCount())
                        .put("mean", Double.isNaN(r.feedbackMean()) ? null : round(r.feedbackMean())))
                .put("shadow_spend_usd", r.shadowSpendUsd())
                .put("cheap_judged", r.judgedCheap())
                .put("quality_retained", Double.isNaN(r.retained()) ? null : round(r.retained()));
    }

    /** A mean or share to six decimals: sums replaced in place (feedback given again) leave rounding dust. */
    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    public void labels(RoutingContext rc) {
        List<LocalDate> days;
        try {
            days = days(rc);
        } catch (ApiException e) {
            rc.fail(e);
            return;
        }
        HttpServerResponse response = rc.response().setChunked(true).putHeader("content-type", "application/x-ndjson");
        if (quality == null) {
            response.end();
            return;
        }
        stream(response, days, 0, null).onComplete(ar -> {
            if (ar.succeeded()) {
                response.end();
            } else if (!response.headWritten()) {
                rc.fail(unavailable(ar.cause()));
            } else {
                // The lines already sent cannot be taken back: a cut connection says the list is not whole.
                response.reset();
            }
        });
    }

    /** Writes the labels from day {@code at}'s page at {@code cursor} on, one page at a time. */
    private Future<Void> stream(HttpServerResponse response, List<LocalDate> days, int at, String cursor) {
        if (at == days.size()) {
            return Future.succeededFuture();
        }
        return quality.store().labels(days.get(at), cursor).compose(page -> {
            Buffer lines = Buffer.buffer();
            for (QualityLabel label : page.labels()) {
                lines.appendBuffer(label.toJson().toBuffer()).appendByte((byte) '\n');
            }
            Future<Void> written = lines.length() == 0 ? Future.succeededFuture() : write(response, lines);
            return written.compose(v -> page.next() == null ? stream(response, days, at + 1, null)
                    : stream(response, days, at, page.next()));
        });
    }

    /** Writes, and waits for the client to take it when its queue is full. */
    private static Future<Void> write(HttpServerResponse response, Buffer lines) {
        response.write(lines);
        if (!response.writeQueueFull()) {
            return Future.succeededFuture();
        }
        Promise<Void> drained = Promise.promise();
        response.drainHandler(v -> drained.tryComplete());
        response.exceptionHandler(drained::tryFail);
        return drained.future();
    }

    private List<LocalDate> days(RoutingContext rc) {
        List<LocalDate> kept = quality == null ? List.of() : quality.retainedDays();
        LocalDate from = date(rc, "from", kept.isEmpty() ? LocalDate.MIN : kept.get(0));
        LocalDate to = date(rc, "to", kept.isEmpty() ? LocalDate.MIN : kept.get(kept.size() - 1));
        if (to.isBefore(from)) {
            throw ApiException.invalidRequest("to", "to: " + to + " (expected: on or after from, " + from + ")");
        }
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate day : kept) {
            if (!day.isBefore(from) && !day.isAfter(to)) {
                out.add(day);
            }
        }
        return out;
    }

    private static LocalDate date(RoutingContext rc, String param, LocalDate fallback) {
        String v = rc.request().getParam(param);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest(param, param + ": '" + v + "' (expected: a date as YYYY-MM-DD)");
        }
    }

    private static ApiException unavailable(Throwable e) {
        return e instanceof ApiException a ? a : new ApiException(503, "server_error", "state_unavailable", null,
                "The quality log could not be read: " + e.getMessage());
    }

    private static void send(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }
}
