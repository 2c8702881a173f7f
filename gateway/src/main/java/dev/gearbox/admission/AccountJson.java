package dev.gearbox.admission;

import dev.gearbox.config.Accounting;
import dev.gearbox.config.BudgetUsd;
import dev.gearbox.config.OnBudget;
import dev.gearbox.config.Policy;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keys, teams and policies in the admin API's JSON (also how the store keeps them). Input errors are 400s
 * naming the field.
 */
public final class AccountJson {

    static final Set<String> POLICY_FIELDS = Set.of("models", "rpm", "tpm", "max_concurrent", "budget_usd", "on_budget",
            "accounting");

    private AccountJson() {
    }

    /** The policy of {@code body}, each field it sets replacing that of {@code base}. */
    static Policy policy(JsonObject body, Policy base) {
        List<String> models = base.models();
        if (body.containsKey("models")) {
            if (!(body.getValue("models") instanceof JsonArray array)) {
                throw invalid("models", "models: " + body.getValue("models") + " (expected: an array of model ids, aliases or tiers)");
            }
            models = new ArrayList<>();
            for (Object m : array) {
                if (!(m instanceof String s)) {
                    throw invalid("models", "models: " + m + " is not a string (expected: model ids, aliases or tiers)");
                }
                models.add(s);
            }
        }
        Integer rpm = count(body, "rpm", base.rpm());
        Integer tpm = count(body, "tpm", base.tpm());
        Integer concurrent = count(body, "max_concurrent", base.maxConcurrent());
        BudgetUsd budget = base.budgetUsd();
        if (body.containsKey("budget_usd")) {
            Object b = body.getValue("budget_usd");
            if (b == null) {
                budget = BudgetUsd.NONE;
            } else if (!(b instanceof JsonObject o)) {
                throw invalid("budget_usd", "budget_usd: " + b + " (expected: {\"daily\", \"monthly\", \"total\"} in USD)");
            } else {
                for (String f : o.fieldNames()) {
                    if (!Set.of("daily", "monthly", "total").contains(f)) {
                        throw invalid("budget_usd." + f, "budget_usd." + f + ": unknown field (expected one of: daily, monthly, total)");
                    }
                }
                budget = check(() -> new BudgetUsd(usd(o, "daily"), usd(o, "monthly"), usd(o, "total")));
            }
        }
        OnBudget onBudget = base.onBudget();
        if (body.containsKey("on_budget")) {
            Object o = body.getValue("on_budget");
            onBudget = check(() -> OnBudget.parse(o instanceof String s ? s : String.valueOf(o)));
        }
        Accounting accounting = base.accounting();
        if (body.containsKey("accounting")) {
            Object a = body.getValue("accounting");
            accounting = a == null ? null : check(() -> Accounting.parse(a instanceof String s ? s : String.valueOf(a)));
        }
        List<String> m = models;
        BudgetUsd b = budget;
        OnBudget ob = onBudget;
        Accounting ac = accounting;
        return check(() -> new Policy(m, rpm, tpm, concurrent, b, ob, ac));
    }

    static JsonObject policyJson(Policy policy) {
        JsonObject budget = new JsonObject().put("daily", policy.budgetUsd().daily()).put("monthly", policy.budgetUsd().monthly())
                .put("total", policy.budgetUsd().total());
        return new JsonObject().put("models", new JsonArray(policy.models())).put("rpm", policy.rpm()).put("tpm", policy.tpm())
                .put("max_concurrent", policy.maxConcurrent()).put("budget_usd", budget)
                .put("on_budget", policy.onBudget().wireName())
                .put("accounting", policy.accounting() == null ? null : policy.accounting().wireName());
    }

    /** A key as the admin API shows it: never the secret, nor its hash. */
    public static JsonObject shown(VirtualKey key) {
        return policyJson(key.policy()).put("id", key.id()).put("team", key.team()).put("name", key.name())
                .put("expires_at", key.expiresAtMs() == null ? null : Instant.ofEpochMilli(key.expiresAtMs()).toString())
                .put("revoked_at", key.revokedAtMs() == null ? null : Instant.ofEpochMilli(key.revokedAtMs()).toString())
                .put("created_at", Instant.ofEpochMilli(key.createdAtMs()).toString())
                .put("source", key.fromConfig() ? "config" : "admin");
    }

    public static JsonObject shown(Team team) {
        return policyJson(team.policy()).put("id", team.id()).put("source", team.fromConfig() ? "config" : "admin");
    }

    static String stored(VirtualKey key) {
        return shown(key).put("hash", key.hash()).put("expires_at_ms", key.expiresAtMs()).put("revoked_at_ms", key.revokedAtMs())
                .put("created_at_ms", key.createdAtMs()).encode();
    }

    static String stored(Team team) {
        return shown(team).encode();
    }

    static VirtualKey key(String json) {
        JsonObject o = new JsonObject(json);
        return new VirtualKey(o.getString("id"), o.getString("team"), o.getString("name"), o.getString("hash"),
                policy(o, Policy.NONE), o.getLong("expires_at_ms"), o.getLong("revoked_at_ms"), o.getLong("created_at_ms", 0L),
                false);
    }

    static Team team(String json) {
        JsonObject o = new JsonObject(json);
        return new Team(o.getString("id"), policy(o, Policy.NONE), false);
    }

    /** {@code expires_at} as epoch milliseconds: an ISO-8601 instant, or null. */
    static Long expiresAt(JsonObject body, Long base, long nowMs) {
        if (!body.containsKey("expires_at")) {
            return base;
        }
        Object v = body.getValue("expires_at");
        if (v == null) {
            return null;
        }
        try {
            long ms = Instant.parse(String.valueOf(v)).toEpochMilli();
            if (ms <= nowMs) {
                throw invalid("expires_at", "expires_at: " + v + " is in the past (expected: a future instant)");
            }
            return ms;
        } catch (DateTimeParseException e) {
            throw invalid("expires_at", "expires_at: '" + v + "' (expected: an ISO-8601 instant such as 2027-01-31T00:00:00Z)");
        }
    }

    static String string(JsonObject body, String field, boolean required) {
        Object v = body.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank() || s.length() > 128) {
            throw invalid(field, field + ": " + (v == null ? "missing" : "'" + v + "'") + " (expected: a non-empty string of at most 128 characters)");
        }
        return s;
    }

    static void onlyFields(JsonObject body, Set<String> allowed) {
        for (String f : body.fieldNames()) {
            if (!allowed.contains(f)) {
                throw invalid(f, f + ": unknown field (expected one of: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    static ApiException invalid(String field, String message) {
        return ApiException.invalidRequest(field, message);
    }

    private static Integer count(JsonObject body, String field, Integer base) {
        if (!body.containsKey(field)) {
            return base;
        }
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() > Integer.MAX_VALUE) {
            throw invalid(field, field + ": " + v + " (expected: a whole number > 0)");
        }
        return n.intValue();
    }

    private static Double usd(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw invalid("budget_usd." + field, "budget_usd." + field + ": " + v + " (expected: a number of US dollars > 0)");
        }
        return n.doubleValue();
    }

    private static <T> T check(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            throw invalid(colon > 0 ? message.substring(0, colon) : null, message);
        }
    }
}
