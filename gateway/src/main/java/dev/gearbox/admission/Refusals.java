package dev.gearbox.admission;

import dev.gearbox.cost.Dollars;
import dev.gearbox.state.Limits;
import dev.gearbox.state.Verdict;
import dev.gearbox.wire.ApiException;
import java.time.Instant;
import java.util.Locale;

/**
 * A store's refusal as the client sees it: OpenAI's 429s, saying what the request would hold and why, and
 * when trying again can help: at the limit's reset, in a second when requests in flight hold the room, and
 * never (no {@code Retry-After}) when the request alone asks for more than the limit.
 */
final class Refusals {

    /** Requests in flight settle within their call; a second is the least a client may wait. */
    private static final String SOON = "1";

    private Refusals() {
    }

    static ApiException of(Verdict.Refused refused, CostCeiling.Worst worst, String team, String keyId, long nowMs) {
        String who = refused.scope().equals("team") ? "Team '" + team + "'" : "Key " + keyId;
        String untilReset = refused.resetMs() > 0 ? Long.toString(Math.max(1, (refused.resetMs() - nowMs + 999) / 1000)) : null;
        String reset = refused.resetMs() > 0 ? "; it resets at " + Instant.ofEpochMilli(refused.resetMs()) : "; it does not reset";
        return switch (refused.limit()) {
            case RPM -> new ApiException(429, "requests", "rate_limit_exceeded", null,
                    who + " has reached its limit of " + refused.allowed() + " requests per minute" + reset + ".",
                    untilReset);
            case TPM -> tokens(refused, worst, who, reset, untilReset);
            case CONCURRENCY -> new ApiException(429, "requests", "rate_limit_exceeded", null,
                    who + " has " + refused.used() + " requests in flight, its limit of concurrent requests.", SOON);
            case BUDGET_DAILY, BUDGET_MONTHLY, BUDGET_TOTAL -> budget(refused, worst, who, reset, untilReset);
        };
    }

    private static ApiException tokens(Verdict.Refused refused, CostCeiling.Worst worst, String who, String reset,
                                       String untilReset) {
        String asked = String.format(Locale.ROOT, "this request holds up to %,d tokens until it settles: %s", refused.requested(),
                worst.describe());
        if (refused.neverFits()) {
            return new ApiException(429, "tokens", "rate_limit_exceeded", null, String.format(Locale.ROOT,
                    "%s has a limit of %,d tokens per minute, and %s. It cannot fit in any minute: set max_tokens lower.",
                    who, refused.allowed(), asked), null);
        }
        return new ApiException(429, "tokens", "rate_limit_exceeded", null, String.format(Locale.ROOT,
                "%s has reached its limit of %,d tokens per minute: %,d are used or held by requests this minute, and %s%s.",
                who, refused.allowed(), refused.used(), asked, reset), untilReset);
    }

    private static ApiException budget(Verdict.Refused refused, CostCeiling.Worst worst, String who, String reset,
                                       String untilReset) {
        String period = refused.limit().reason();
        String asked = "this request must hold " + usd(refused.requested()) + ", its most possible cost: " + worst.describe();
        if (refused.neverFits()) {
            return new ApiException(429, "insufficient_quota", "insufficient_quota", null, String.format(Locale.ROOT,
                    "%s has a %s budget of %s, and %s. It can never fit this budget: set max_tokens lower, or send a"
                            + " shorter request.", who, period, usd(refused.allowed()), asked), null);
        }
        String state = String.format(Locale.ROOT, "%s has reached its %s budget of %s: %s spent, %s held by requests in"
                + " flight, and %s%s.", who, period, usd(refused.allowed()), usd(refused.used()), usd(refused.reserved()),
                asked, reset);
        if (refused.heldByRequestsInFlight()) {
            return new ApiException(429, "insufficient_quota", "insufficient_quota", null,
                    state + " It fits once requests in flight settle.", SOON);
        }
        return new ApiException(429, "insufficient_quota", "insufficient_quota", null, state, untilReset);
    }

    /** The route note of a request sent to the cheapest model because a budget is reached. */
    static String downgradeNote(Verdict.Refused refused, String team, String keyId) {
        String who = refused.scope().equals("team") ? "team '" + team + "'" : "key " + keyId;
        return who + " reached its " + refused.limit().reason() + " budget (" + usd(refused.used()) + " spent and "
                + usd(refused.reserved()) + " held of " + usd(refused.allowed()) + "); sent to the cheapest model";
    }

    /** 503 while the shared store cannot be reached and admission fails closed. */
    static ApiException unavailable() {
        return new ApiException(503, "server_error", "limits_unavailable", null,
                "Rate limits and budgets cannot be checked: the gateway's state store is unreachable. Try again shortly.",
                "1");
    }

    static ApiException modelNotAllowed(String model, String who) {
        return new ApiException(403, "invalid_request_error", "model_not_allowed", "model",
                who + " may not use the model '" + model + "'.");
    }

    private static String usd(long nanos) {
        return Dollars.format(Limits.usd(nanos));
    }
}
