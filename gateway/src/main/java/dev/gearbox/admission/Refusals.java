package dev.gearbox.admission;

import dev.gearbox.state.Limits;
import dev.gearbox.state.Verdict;
import dev.gearbox.wire.ApiException;
import java.time.Instant;
import java.util.Locale;

/** A store's refusal as the client sees it: OpenAI's 429s, with when to try again. */
final class Refusals {

    private Refusals() {
    }

    static ApiException of(Verdict.Refused refused, String team, String keyId, long nowMs) {
        String who = refused.scope().equals("team") ? "Team '" + team + "'" : "Key " + keyId;
        String retryAfter = refused.resetMs() > 0 ? Long.toString(Math.max(1, (refused.resetMs() - nowMs + 999) / 1000)) : null;
        String reset = refused.resetMs() > 0 ? "; it resets at " + Instant.ofEpochMilli(refused.resetMs()) : "; it does not reset";
        return switch (refused.limit()) {
            case RPM -> new ApiException(429, "requests", "rate_limit_exceeded", null,
                    who + " has reached its limit of " + refused.allowed() + " requests per minute" + reset + ".",
                    retryAfter);
            case TPM -> new ApiException(429, "tokens", "rate_limit_exceeded", null,
                    who + " has reached its limit of " + refused.allowed() + " tokens per minute (used "
                            + refused.used() + ")" + reset + ".", retryAfter);
            case CONCURRENCY -> new ApiException(429, "requests", "rate_limit_exceeded", null,
                    who + " has " + refused.used() + " requests in flight, its limit of concurrent requests.", "1");
            case BUDGET_DAILY, BUDGET_MONTHLY, BUDGET_TOTAL -> new ApiException(429, "insufficient_quota",
                    "insufficient_quota", null, String.format(Locale.ROOT,
                    "%s has reached its %s budget: spent $%.6f of $%.6f, with requests in flight reserved%s.",
                    who, refused.limit().reason(), Limits.usd(refused.used()), Limits.usd(refused.allowed()), reset),
                    retryAfter);
        };
    }

    /** The route note of a request sent to the cheapest model because a budget is reached. */
    static String downgradeNote(Verdict.Refused refused, String team, String keyId) {
        String who = refused.scope().equals("team") ? "team '" + team + "'" : "key " + keyId;
        return String.format(Locale.ROOT, "%s reached its %s budget ($%.6f of $%.6f); sent to the cheapest model",
                who, refused.limit().reason(), Limits.usd(refused.used()), Limits.usd(refused.allowed()));
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
}
