package dev.gearbox.state;

import dev.gearbox.config.Accounting;
import java.util.List;
import java.util.Objects;

/**
 * A request asking for room: its id, its team, the scopes it counts against, and the most it may cost and use.
 *
 * @param id unique per request; the reservation is settled or released by it
 * @param team the team, which all its counters are grouped under (one Redis hash slot per team)
 * @param estimateNanos the most the request may cost, reserved until it settles
 * @param tokens the most tokens (prompt and output) it may use, held against tokens-per-minute limits in the
 *     minute it is admitted until it settles, when its actual tokens take their place
 * @param accounting whether a shared store counts it in a lease this replica holds or in a round trip of its own
 */
public record Hold(String id, String team, List<Scope> scopes, long estimateNanos, long tokens, Window window,
                   Accounting accounting) {

    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(accounting, "accounting");
        scopes = List.copyOf(scopes);
        if (estimateNanos < 0) {
            throw new IllegalArgumentException("estimateNanos: " + estimateNanos + " (expected: >= 0)");
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens: " + tokens + " (expected: >= 0)");
        }
    }

    /** A request counted in a lease, where leases are taken. */
    public Hold(String id, String team, List<Scope> scopes, long estimateNanos, long tokens, Window window) {
        this(id, team, scopes, estimateNanos, tokens, window, Accounting.LEASED);
    }
}
