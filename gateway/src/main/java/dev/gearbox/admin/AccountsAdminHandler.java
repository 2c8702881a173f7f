package dev.gearbox.admin;

import dev.gearbox.admission.AccountJson;
import dev.gearbox.admission.Accounts;
import dev.gearbox.admission.ApiKeys;
import dev.gearbox.admission.VirtualKey;
import dev.gearbox.state.Store;
import dev.gearbox.state.UsageRow;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Serves {@code /admin/keys}, {@code /admin/teams} and {@code GET /admin/usage}. A key's secret is in
 * the answer to its creation only; listings never show it, nor its hash.
 */
public final class AccountsAdminHandler {

    private static final int MAX_DAYS = 400;

    private final Accounts accounts;
    private final ApiKeys keys;
    private final Store store;
    private final Clock clock;
    private final ZoneId zone;

    private AccountsAdminHandler(Accounts accounts, ApiKeys keys, Store store, Clock clock, ZoneId zone) {
        this.accounts = accounts;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.zone = zone;
    }

    public static AccountsAdminHandler of(Accounts accounts, ApiKeys keys, Store store, Clock clock, ZoneId zone) {
        return new AccountsAdminHandler(accounts, keys, store, clock, zone);
    }

    public void createKey(RoutingContext rc) {
        answer(rc, 201, () -> accounts.createKey(body(rc)));
    }

    public void listKeys(RoutingContext rc) {
        String team = rc.request().getParam("team");
        JsonArray out = new JsonArray();
        for (VirtualKey key : keys.keys()) {
            if (team == null || team.equals(key.team())) {
                out.add(AccountJson.shown(key));
            }
        }
        send(rc, 200, new JsonObject().put("data", out));
    }

    public void patchKey(RoutingContext rc) {
        answer(rc, 200, () -> accounts.patchKey(rc.pathParam("id"), body(rc)));
    }

    public void revokeKey(RoutingContext rc) {
        answer(rc, 200, () -> accounts.revokeKey(rc.pathParam("id")));
    }

    public void createTeam(RoutingContext rc) {
        answer(rc, 201, () -> accounts.createTeam(body(rc)));
    }

    public void listTeams(RoutingContext rc) {
        JsonArray out = new JsonArray();
        keys.teams().forEach(t -> out.add(AccountJson.shown(t)));
        send(rc, 200, new JsonObject().put("data", out));
    }

    public void patchTeam(RoutingContext rc) {
        answer(rc, 200, () -> accounts.patchTeam(rc.pathParam("id"), body(rc)));
    }

    public void deleteTeam(RoutingContext rc) {
        answer(rc, 200, () -> accounts.deleteTeam(rc.pathParam("id")));
    }

    /** {@code GET /admin/usage?team=&key=&model=&from=&to=&group_by=day|model|key}, from the store's ledger. */
    public void usage(RoutingContext rc) {
        answer(rc, 200, () -> {
            String today = LocalDate.now(clock.withZone(zone)).toString();
            String from = date(rc, "from", today);
            String to = date(rc, "to", today);
            long days = ChronoUnit.DAYS.between(LocalDate.parse(from), LocalDate.parse(to));
            if (days < 0 || days >= MAX_DAYS) {
                throw ApiException.invalidRequest("to", "to: " + to + " (expected: on or after from, " + from
                        + ", and at most " + MAX_DAYS + " days later)");
            }
            String groupBy = rc.request().getParam("group_by");
            Function<UsageRow, String> group = switch (groupBy == null ? "" : groupBy) {
                case "" -> null;
                case "day" -> UsageRow::day;
                case "model" -> UsageRow::model;
                case "key" -> UsageRow::key;
                default -> throw ApiException.invalidRequest("group_by",
                        "group_by: '" + groupBy + "' (expected: day, model or key)");
            };
            String team = rc.request().getParam("team");
            String key = rc.request().getParam("key");
            String model = rc.request().getParam("model");
            Set<String> teams = new LinkedHashSet<>();
            if (team != null) {
                teams.add(team);
            } else {
                keys.teams().forEach(t -> teams.add(t.id()));
                keys.keys().forEach(k -> teams.add(k.team()));
                teams.add("anonymous");
            }
            List<Future<List<UsageRow>>> reads = new ArrayList<>();
            teams.forEach(t -> reads.add(store.usage(t, from, to)));
            return Future.all(reads).map(all -> {
                Totals total = new Totals();
                Map<String, Totals> groups = new TreeMap<>();
                for (int i = 0; i < reads.size(); i++) {
                    for (UsageRow row : all.<List<UsageRow>>resultAt(i)) {
                        if ((key == null || key.equals(row.key())) && (model == null || model.equals(row.model()))) {
                            total.add(row);
                            if (group != null) {
                                groups.computeIfAbsent(group.apply(row), g -> new Totals()).add(row);
                            }
                        }
                    }
                }
                JsonObject out = total.json().put("team", team).put("key", key).put("model", model).put("from", from)
                        .put("to", to).put("group_by", groupBy);
                if (group != null) {
                    JsonArray rows = new JsonArray();
                    groups.forEach((g, t) -> rows.add(t.json().put(groupBy, g)));
                    out.put("groups", rows);
                }
                return out;
            });
        });
    }

    private static String date(RoutingContext rc, String param, String fallback) {
        String v = rc.request().getParam(param);
        if (v == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(v).toString();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest(param, param + ": '" + v + "' (expected: a date as YYYY-MM-DD)");
        }
    }

    private static JsonObject body(RoutingContext rc) {
        try {
            JsonObject body = rc.body() == null || rc.body().length() == 0 ? null : rc.body().asJsonObject();
            if (body == null) {
                throw ApiException.invalidRequest(null, "The body is empty (expected: a JSON object).");
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.invalidRequest(null, "The body is not a JSON object.");
        }
    }

    private static void answer(RoutingContext rc, int status, java.util.function.Supplier<Future<JsonObject>> work) {
        Future<JsonObject> result;
        try {
            result = work.get();
        } catch (ApiException e) {
            rc.fail(e);
            return;
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                send(rc, status, ar.result());
            } else if (ar.cause() instanceof ApiException e) {
                rc.fail(e);
            } else {
                rc.fail(new ApiException(503, "server_error", "state_unavailable", null,
                        "The state store could not be reached: " + ar.cause().getMessage()));
            }
        });
    }

    private static void send(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
    }

    /** Sums of ledger rows. */
    private static final class Totals {
        long requests;
        long cost;
        long baseline;
        long prompt;
        long completion;

        void add(UsageRow row) {
            requests += row.requests();
            cost += row.costNanos();
            baseline += row.baselineNanos();
            prompt += row.promptTokens();
            completion += row.completionTokens();
        }

        JsonObject json() {
            return new JsonObject().put("requests", requests).put("spend_usd", cost / 1e9).put("baseline_usd", baseline / 1e9)
                    .put("savings_usd", (baseline - cost) / 1e9)
                    .put("tokens", new JsonObject().put("prompt", prompt).put("completion", completion)
                            .put("total", prompt + completion));
        }
    }
}
