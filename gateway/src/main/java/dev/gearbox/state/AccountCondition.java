package dev.gearbox.state;

import java.util.Objects;

/**
 * What must hold of the accounts for a write to happen, checked by the store in the same atomic step as the
 * write, so two replicas acting at once on what each read earlier cannot both succeed.
 */
public sealed interface AccountCondition
        permits AccountCondition.Absent, AccountCondition.AbsentWhileExists, AccountCondition.Present,
        AccountCondition.Unchanged {

    /** A create: no document of that kind has the id. */
    AccountCondition ABSENT = new Absent();
    /** A change: the document exists, so a change never brings back one deleted meanwhile. */
    AccountCondition PRESENT = new Present();

    /** A create that depends on another document, as a key on its team: the id is free and that one exists. */
    static AccountCondition absentWhileExists(String kind, String id) {
        return new AbsentWhileExists(kind, id);
    }

    /** A write decided on everything as it was at {@code version}: no account has changed since. */
    static AccountCondition unchangedSince(long version) {
        return new Unchanged(version);
    }

    /** No document of that kind has the id. */
    record Absent() implements AccountCondition {
    }

    /** No document of that kind has the id, and the document {@code kind}/{@code id} exists. */
    record AbsentWhileExists(String kind, String id) implements AccountCondition {
        public AbsentWhileExists {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }
    }

    /** The document exists. */
    record Present() implements AccountCondition {
    }

    /** The accounts' version is still {@code version}. */
    record Unchanged(long version) implements AccountCondition {
        public Unchanged {
            if (version < 0) {
                throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
            }
        }
    }
}
