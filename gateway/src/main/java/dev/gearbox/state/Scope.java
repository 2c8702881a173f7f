package dev.gearbox.state;

import java.util.Objects;

/**
 * One party a request is counted against: its team, or its key within the team.
 *
 * @param name {@code team} or {@code key:<id>}; unique within the team
 */
public record Scope(String name, Limits limits) {

    public Scope {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
    }

    public static Scope team(Limits limits) {
        return new Scope("team", limits);
    }

    public static Scope key(String id, Limits limits) {
        return new Scope("key:" + id, limits);
    }
}
