package dev.gearbox.admission;

import dev.gearbox.config.ApiKeyConfig;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.TeamConfig;
import dev.gearbox.exchange.Caller;
import dev.gearbox.state.Store;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a presented {@code Authorization} value belongs to: the keys of the config file and those made
 * through the admin API, and the teams they belong to. Lookups read an in-memory snapshot, so the hot
 * path never waits for the store; {@link #refresh()} replaces the snapshot when the store's accounts
 * change (on every replica within the poll interval). With no key at all every caller is anonymous.
 */
public final class ApiKeys {

    static final String KEYS = "keys";
    static final String TEAMS = "teams";
    private static final String BEARER = "Bearer ";

    private final List<VirtualKey> configKeys;
    private final List<Team> configTeams;
    private final Store store;
    private final Clock clock;
    private volatile Snapshot snapshot;
    private volatile long version = -1;

    private ApiKeys(List<VirtualKey> configKeys, List<Team> configTeams, Store store, Clock clock) {
        this.configKeys = configKeys;
        this.configTeams = configTeams;
        this.store = store;
        this.clock = clock;
        this.snapshot = Snapshot.of(configKeys, configTeams, Map.of(), Map.of());
    }

    /** The config's keys and teams, then those of {@code store} once {@link #refresh()} has read them. */
    public static ApiKeys of(GearboxConfig config, Store store, Clock clock) {
        List<VirtualKey> keys = config.server().apiKeys().stream().map(ApiKeys::fromConfig).toList();
        List<Team> teams = config.teams().stream().map(ApiKeys::fromConfig).toList();
        return new ApiKeys(keys, teams, store, clock);
    }

    private static VirtualKey fromConfig(ApiKeyConfig k) {
        return new VirtualKey("cfg_" + k.name(), k.tenant(), k.name(), KeyHash.of(k.key().value()), k.policy(), null, null,
                0, true);
    }

    private static Team fromConfig(TeamConfig t) {
        return new Team(t.id(), t.policy(), true);
    }

    /** Reads the store's accounts when they changed since the last read; cheap when they did not. */
    public Future<Void> refresh() {
        return store.accountsVersion().compose(v -> {
            if (v == version) {
                return Future.succeededFuture();
            }
            return Future.all(store.accounts(KEYS), store.accounts(TEAMS)).map(all -> {
                Map<String, VirtualKey> keys = new HashMap<>();
                all.<Map<String, String>>resultAt(0).forEach((id, json) -> keys.put(id, AccountJson.key(json)));
                Map<String, Team> teams = new HashMap<>();
                all.<Map<String, String>>resultAt(1).forEach((id, json) -> teams.put(id, AccountJson.team(json)));
                snapshot = Snapshot.of(configKeys, configTeams, keys, teams);
                version = v;
                return null;
            });
        });
    }

    /**
     * The caller an {@code Authorization} header value ({@code Bearer <key>}) names.
     *
     * @param header the header the value came from, named in the error
     * @throws ApiException 401 when keys exist and the value names none that may be used now
     */
    public Caller resolve(String authorization, String header) {
        VirtualKey key = key(authorization, header);
        return key == null ? Caller.ANONYMOUS : new Caller(key.team(), key.name(), key.id());
    }

    /** The key an {@code Authorization} value names; null when the gateway has no keys. */
    VirtualKey key(String authorization, String header) {
        Snapshot s = snapshot;
        if (s.byHash.isEmpty()) {
            return null;
        }
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.invalidApiKey(
                    "You didn't provide an API key. Send it in the " + header + " header as 'Bearer <key>'.");
        }
        String presented = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : "";
        String hash = KeyHash.of(presented);
        VirtualKey key = s.byHash.get(hash);
        // Never echo the key: a mistyped key is still close to a real one.
        if (key == null || !KeyHash.same(hash, key.hash())) {
            throw ApiException.invalidApiKey("Incorrect API key provided.");
        }
        return usable(key);
    }

    /**
     * The key of this id, for an operator who names it rather than presents it, held to the same checks as a
     * presented one (401 when revoked or expired); null when the id names no key (a tenant, then).
     */
    VirtualKey named(String id) {
        VirtualKey key = snapshot.byId.get(id);
        return key == null ? null : usable(key);
    }

    private VirtualKey usable(VirtualKey key) {
        if (key.revokedAtMs() != null) {
            throw ApiException.invalidApiKey("The API key " + key.id() + " has been revoked.");
        }
        if (!key.usable(clock.millis())) {
            throw ApiException.invalidApiKey("The API key " + key.id() + " has expired.");
        }
        return key;
    }

    /** Whether an operator may explain a request as this: the id of a key, or a tenant (a team, or a key's). */
    public boolean explainable(String name) {
        return snapshot.byId.containsKey(name) || teamExists(name);
    }

    /** The team of that name; one without a policy when none is defined. */
    Team team(String id) {
        Team team = snapshot.teams.get(id);
        return team == null ? new Team(id, null, false) : team;
    }

    /** Whether a team of that name is defined, or is the tenant of a key. */
    boolean teamExists(String id) {
        Snapshot s = snapshot;
        return s.teams.containsKey(id) || s.byId.values().stream().anyMatch(k -> k.team().equals(id));
    }

    /** Every key, revoked ones included, by id. */
    public Collection<VirtualKey> keys() {
        return snapshot.byId.values();
    }

    public Collection<Team> teams() {
        return snapshot.teams.values();
    }

    public VirtualKey keyById(String id) {
        return snapshot.byId.get(id);
    }

    public Team teamById(String id) {
        return snapshot.teams.get(id);
    }

    Store store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    /** The keys and teams at one moment; never changed, only replaced. */
    private record Snapshot(Map<String, VirtualKey> byHash, Map<String, VirtualKey> byId, Map<String, Team> teams) {

        static Snapshot of(List<VirtualKey> configKeys, List<Team> configTeams, Map<String, VirtualKey> stored,
                           Map<String, Team> storedTeams) {
            Map<String, VirtualKey> byId = new LinkedHashMap<>();
            configKeys.forEach(k -> byId.put(k.id(), k));
            stored.values().forEach(k -> byId.putIfAbsent(k.id(), k));
            Map<String, VirtualKey> byHash = new HashMap<>();
            byId.values().forEach(k -> byHash.put(k.hash(), k));
            Map<String, Team> teams = new LinkedHashMap<>();
            configTeams.forEach(t -> teams.put(t.id(), t));
            storedTeams.values().forEach(t -> teams.putIfAbsent(t.id(), t));
            return new Snapshot(Map.copyOf(byHash), byId, teams);
        }
    }
}
