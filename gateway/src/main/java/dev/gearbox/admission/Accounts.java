package dev.gearbox.admission;

import dev.gearbox.config.Policy;
import dev.gearbox.state.AccountCondition;
import dev.gearbox.state.Store;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin API's changes to keys and teams: each is written to the store, then the local snapshot is
 * refreshed at once (other replicas see it at their next poll).
 *
 * <p>A replica's snapshot may be a poll behind another replica's writes, so every write that must not
 * collide is checked by the store in the same step as it is written ({@link AccountCondition}): a create
 * only while the id is free (409 for the second of two replicas creating one team), a change only while
 * the document exists (404 once it was deleted), and a team's deletion only while no account has changed
 * since its keys were counted.
 */
public final class Accounts {

    private static final Set<String> TEAM_FIELDS = fields("id");
    private static final Set<String> KEY_FIELDS = fields("team", "name", "expires_at");
    private static final Set<String> KEY_PATCH_FIELDS = fields("name", "expires_at");

    private final ApiKeys keys;

    private Accounts(ApiKeys keys) {
        this.keys = keys;
    }

    public static Accounts of(ApiKeys keys) {
        return new Accounts(keys);
    }

    /** A new key, answered with its secret: the only time it is shown. */
    public Future<JsonObject> createKey(JsonObject body) {
        AccountJson.onlyFields(body, KEY_FIELDS);
        String team = AccountJson.string(body, "team", true);
        if (!keys.teamExists(team)) {
            // A mistyped team would make a key with none of the team's limits.
            throw AccountJson.invalid("team", "team: '" + team + "' does not exist (expected: a team of POST /admin/teams,"
                    + " the config's teams, or a config key's tenant)");
        }
        String name = AccountJson.string(body, "name", false);
        long now = keys.clock().millis();
        Policy policy = AccountJson.policy(body, Policy.NONE);
        Long expires = AccountJson.expiresAt(body, null, now);
        String secret = KeyHash.newKey();
        VirtualKey key = new VirtualKey(KeyHash.newId(), team, name, KeyHash.of(secret), policy, expires, null, now, false);
        Team owner = keys.teamById(team);
        // A team made through the admin API may be deleted on another replica meanwhile: the key needs it still there.
        AccountCondition condition = owner != null && !owner.fromConfig()
                ? AccountCondition.absentWhileExists(ApiKeys.TEAMS, team) : AccountCondition.ABSENT;
        return write(key, condition, () -> new ApiException(409, "invalid_request_error", "conflict", "team",
                "team: '" + team + "' was deleted while the key was being made (expected: an existing team)"))
                .map(v -> AccountJson.shown(key).put("key", secret));
    }

    public Future<JsonObject> patchKey(String id, JsonObject body) {
        VirtualKey key = adminKey(id);
        AccountJson.onlyFields(body, KEY_PATCH_FIELDS);
        String name = body.containsKey("name") ? AccountJson.string(body, "name", true) : key.name();
        VirtualKey changed = new VirtualKey(key.id(), key.team(), name, key.hash(), AccountJson.policy(body, key.policy()),
                AccountJson.expiresAt(body, key.expiresAtMs(), keys.clock().millis()), key.revokedAtMs(), key.createdAtMs(),
                false);
        return write(changed, AccountCondition.PRESENT, () -> noKey(id)).map(v -> AccountJson.shown(changed));
    }

    /** Revokes a key; it stays listed, with when it was revoked. */
    public Future<JsonObject> revokeKey(String id) {
        VirtualKey key = adminKey(id);
        VirtualKey revoked = key.revokedAtMs() == null ? key.revoked(keys.clock().millis()) : key;
        return write(revoked, AccountCondition.PRESENT, () -> noKey(id)).map(v -> AccountJson.shown(revoked));
    }

    public Future<JsonObject> createTeam(JsonObject body) {
        AccountJson.onlyFields(body, TEAM_FIELDS);
        String id = AccountJson.string(body, "id", true);
        if (keys.teamById(id) != null) {
            throw teamExists(id);
        }
        Team team = new Team(id, AccountJson.policy(body, Policy.NONE), false);
        // The snapshot may not have another replica's create yet: the store decides who made it first.
        return write(team, AccountCondition.ABSENT, () -> teamExists(id)).map(v -> AccountJson.shown(team));
    }

    public Future<JsonObject> patchTeam(String id, JsonObject body) {
        Team team = adminTeam(id);
        AccountJson.onlyFields(body, AccountJson.POLICY_FIELDS);
        Team changed = new Team(team.id(), AccountJson.policy(body, team.policy()), false);
        return write(changed, AccountCondition.PRESENT, () -> noTeam(id)).map(v -> AccountJson.shown(changed));
    }

    public Future<JsonObject> deleteTeam(String id) {
        Team team = adminTeam(id);
        Store store = keys.store();
        // Its keys are counted in the store, not the snapshot, and the delete holds only if nothing changed
        // since: a key made for the team on another replica meanwhile stops it.
        return store.accountsVersion().compose(version -> store.accounts(ApiKeys.KEYS).compose(stored -> {
            long live = stored.values().stream().map(AccountJson::key)
                    .filter(k -> k.team().equals(id) && k.revokedAtMs() == null).count();
            if (live > 0) {
                // Its keys would go on without the team's limits.
                return Future.failedFuture(new ApiException(409, "invalid_request_error", "conflict", "id",
                        "Team '" + id + "' has " + live + " keys that are not revoked; revoke them first."));
            }
            return store.putAccount(ApiKeys.TEAMS, id, null, AccountCondition.unchangedSince(version));
        })).compose(written -> written ? keys.refresh() : Future.failedFuture(new ApiException(409,
                        "invalid_request_error", "conflict", "id",
                        "Keys or teams changed while team '" + id + "' was being deleted; try again.")))
                .map(v -> AccountJson.shown(team).put("deleted", true));
    }

    /**
     * Writes a key or team if {@code condition} holds in the store, then refreshes the snapshot; fails with
     * {@code refused} when it did not.
     */
    private Future<Void> write(VirtualKey key, AccountCondition condition, Supplier<ApiException> refused) {
        return write(ApiKeys.KEYS, key.id(), AccountJson.stored(key), condition, refused);
    }

    private Future<Void> write(Team team, AccountCondition condition, Supplier<ApiException> refused) {
        return write(ApiKeys.TEAMS, team.id(), AccountJson.stored(team), condition, refused);
    }

    private Future<Void> write(String kind, String id, String json, AccountCondition condition,
                               Supplier<ApiException> refused) {
        return keys.store().putAccount(kind, id, json, condition)
                .compose(written -> written ? keys.refresh() : Future.failedFuture(refused.get()));
    }

    private static ApiException teamExists(String id) {
        return new ApiException(409, "invalid_request_error", "conflict", "id",
                "id: team '" + id + "' exists (expected: a new id; PATCH /admin/teams/" + id + " changes it)");
    }

    private static ApiException noKey(String id) {
        return new ApiException(404, "invalid_request_error", "not_found", "id", "No key with id '" + id + "'.");
    }

    private static ApiException noTeam(String id) {
        return new ApiException(404, "invalid_request_error", "not_found", "id", "No team with id '" + id + "'.");
    }

    private VirtualKey adminKey(String id) {
        VirtualKey key = keys.keyById(id);
        if (key == null) {
            throw noKey(id);
        }
        if (key.fromConfig()) {
            throw new ApiException(409, "invalid_request_error", "conflict", "id",
                    "Key '" + id + "' comes from the config file; change it there.");
        }
        return key;
    }

    private Team adminTeam(String id) {
        Team team = keys.teamById(id);
        if (team == null) {
            throw noTeam(id);
        }
        if (team.fromConfig()) {
            throw new ApiException(409, "invalid_request_error", "conflict", "id",
                    "Team '" + id + "' comes from the config file; change it there.");
        }
        return team;
    }

    private static Set<String> fields(String... extra) {
        Set<String> all = new HashSet<>(AccountJson.POLICY_FIELDS);
        all.addAll(Set.of(extra));
        return Set.copyOf(all);
    }
}
