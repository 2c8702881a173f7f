package dev.gearbox.state;

import java.util.List;

/**
 * The names of every key the gateway keeps in Redis. Each name carries a hash tag (the part in braces), and
 * Redis Cluster places a key by its tag alone, so the keys one script touches always share a slot: every key
 * of a team is tagged with the team ({@code gearbox:{team}:...}), the account documents with {@code accounts}
 * and the shared latency statistics with {@code latency}. A team named {@code accounts} or {@code latency}
 * shares that slot, and no name: a team's keys all end in a scope ({@code team:}, {@code key:<id>:}) or in
 * {@code settled}, {@code usage:}, {@code response:}, none of which the accounts' and latency's names use.
 */
final class RedisKeys {

    static final String ACCOUNTS = "gearbox:{accounts}:";
    static final String VERSION = ACCOUNTS + "version";
    /**
     * Where accounts lived before they had a hash tag, in three slots, which a Cluster refuses in one script;
     * {@link AccountsMigration} moves them.
     */
    static final String LEGACY_ACCOUNTS = "gearbox:accounts:";
    static final String LEGACY_VERSION = LEGACY_ACCOUNTS + "version";
    static final List<String> KINDS = List.of("key", "team");
    static final String LATENCY = "gearbox:{latency}:";
    static final String LATENCY_REPLICAS = LATENCY + "replicas";
    /** Keys per scope in the reservation and lease scripts, in this order. */
    static final int PER_SCOPE = 11;

    private RedisKeys() {
    }

    static String accounts(String kind) {
        return ACCOUNTS + kind;
    }

    static String latency(String replica) {
        return LATENCY + replica;
    }

    static String prefix(String team, String scope) {
        return "gearbox:{" + team + "}:" + scope + ":";
    }

    static String settled(String team) {
        return "gearbox:{" + team + "}:settled";
    }

    static String ledger(String team, String day) {
        return "gearbox:{" + team + "}:usage:" + day;
    }

    /**
     * A scope's keys as the scripts take them: the minute's request and token counts, reservations (a sorted set
     * of id to expiry, requests' and leases' alike), their amounts, the amount reserved, spend per period, the
     * slots each lease holds, the slots leases hold beyond the one their entry counts, and the minute's grants
     * per lease.
     *
     * @param rateWindow the window whose minute the counts are of
     * @param spendWindow the window whose day and month the spend is of (a batch settled after midnight)
     */
    static void scope(List<String> keys, String team, Scope scope, Window rateWindow, Window spendWindow) {
        String prefix = prefix(team, scope.name());
        keys.add(prefix + "rpm:" + rateWindow.minute());
        keys.add(prefix + "tpm:" + rateWindow.minute());
        keys.add(prefix + "holds");
        keys.add(prefix + "amounts");
        keys.add(prefix + "reserved");
        for (Period period : Period.values()) {
            keys.add(prefix + "spent:" + spendWindow.period(period));
        }
        keys.add(prefix + "slots");
        keys.add(prefix + "leased");
        keys.add(prefix + "grants:" + rateWindow.minute());
    }
}
