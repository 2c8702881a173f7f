package dev.gearbox.state;

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
 */
public record Hold(String id, String team, List<Scope> scopes, long estimateNanos, long tokens, Window window) {

    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(team, "team");
        scopes = List.copyOf(scopes);
        if (estimateNanos < 0) {
            throw new IllegalArgumentException("estimateNanos: " + estimateNanos + " (expected: >= 0)");
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens: " + tokens + " (expected: >= 0)");
        }
    }
}
