package dev.gearbox.quality;

import java.util.List;

/**
 * Hears what the quality capability does, for meters: verdicts, feedback, shadow spend, samples it could not
 * shadow and why, the day's shadow budget, and the tally of the log. Called on event loops; must not block.
 */
public interface QualityEvents {

    /** A judge's verdict on an answer of {@code tier} on {@code route}. */
    default void verdict(String route, String tier, Comparison comparison) {
    }

    /** An application's score of an answer of {@code tier} on {@code route}. */
    default void feedback(String route, String tier, double score) {
    }

    /** What a shadow call and its judgement cost. */
    default void shadowSpent(String route, double usd) {
    }

    /** A sampled request that was not shadowed, and why. */
    default void skipped(Skip reason) {
    }

    /** The day's shadow spend as last seen, against its budget. */
    default void budget(double spentUsd, double budgetUsd) {
    }

    /** The log's tally over the retention, per route, as last read from the store every replica shares. */
    default void tally(List<QualityTally.RouteReport> routes) {
    }

    QualityEvents NONE = new QualityEvents() {
    };

    /** Why a sampled request was not shadowed; the values of the meters' {@code reason} tag. */
    enum Skip {
        /** The day's shadow budget had no room for it. */
        BUDGET("budget"),
        /** The caller may not use a model of the other tier, or the judge. */
        NOT_ALLOWED("not_allowed"),
        /** No model of the other tier can serve it, or the judge is not in the catalog in force. */
        NO_MODEL("no_model"),
        /** Its answer came from the cache, or from a tier that is neither cheap nor reasoning. */
        NOT_COMPARABLE("not_comparable"),
        /** Too many shadows were running on its event loop. */
        BUSY("busy"),
        /** The shadow call or a judgement failed. */
        FAILED("failed"),
        /** The judge answered no verdict. */
        UNREADABLE("judge_unreadable");

        private final String tag;

        Skip(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }
}
