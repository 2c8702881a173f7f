package dev.gearbox.state;

import java.util.List;

/**
 * One scope's part of a replica's lease (a team or a key): what the store granted of each of its limits, and how
 * much of that the requests admitted here use. A request fits when every limited share has room for it; money is
 * counted at each request's estimate while it runs and at its cost once settled, until the next call turns that
 * cost into the store's spend. Guarded by its {@link TeamLease}.
 */
final class ScopeLease {

    /** The shares of a limit a lease holds. */
    enum Share {
        REQUESTS, TOKENS, SLOTS, MONEY
    }

    private final String name;
    private Limits limits;
    /** The minute whose requests and tokens are granted and used. */
    private long minute = -1;
    private long requestsGranted;
    private long requestsUsed;
    private long tokensGranted;
    private long tokensUsed;
    private long slotsGranted;
    private long slotsUsed;
    /** The lease's money as the store last set it. */
    private long moneyGranted;
    /** The estimates of admitted requests not settled yet. */
    private long moneyInFlight;
    /** Settled costs, up to each request's estimate, that the store has not yet turned into spend. */
    private long covered;
    /** What was free after the last call that grew each share: a call grows it again before half is used. */
    private final long[] cushion = new long[Share.values().length];

    ScopeLease(String name, Limits limits) {
        this.name = name;
        this.limits = limits;
    }

    String name() {
        return name;
    }

    Scope scope() {
        return new Scope(name, limits);
    }

    /** The limits the next call sizes against: the latest a request carried. */
    void limits(Limits latest) {
        this.limits = latest;
    }

    /** Starts counting a new minute's requests and tokens when {@code now} is one. */
    void roll(long now) {
        if (minute != now) {
            minute = now;
            requestsGranted = 0;
            requestsUsed = 0;
            tokensGranted = 0;
            tokensUsed = 0;
            cushion[Share.REQUESTS.ordinal()] = 0;
            cushion[Share.TOKENS.ordinal()] = 0;
        }
    }

    /** The first scope's lease, and share of it, without room for a request, or null when it fits them all. */
    static Lack firstLacking(List<ScopeLease> leases, Hold hold) {
        for (ScopeLease lease : leases) {
            Share share = lease.lacking(hold.tokens(), hold.estimateNanos());
            if (share != null) {
                return new Lack(lease, share);
            }
        }
        return null;
    }

    /** The first share without room for a request, or null when it fits. */
    Share lacking(long tokens, long estimate) {
        if (limits.rpm() >= 0 && requestsUsed + 1 > requestsGranted) {
            return Share.REQUESTS;
        }
        if (limits.tpm() >= 0 && tokensUsed + tokens > tokensGranted) {
            return Share.TOKENS;
        }
        if (limits.maxConcurrent() >= 0 && slotsUsed + 1 > slotsGranted) {
            return Share.SLOTS;
        }
        if (budgeted() && estimate > freeMoney()) {
            return Share.MONEY;
        }
        return null;
    }

    /** Counts an admitted request; returns the money it holds (none when no budget limits the scope). */
    long take(long tokens, long estimate) {
        requestsUsed++;
        tokensUsed += tokens;
        slotsUsed++;
        long money = budgeted() ? estimate : 0;
        moneyInFlight += money;
        return money;
    }

    /**
     * Ends a request admitted in {@code admittedMinute} holding {@code money} and {@code heldTokens}; in the minute
     * it was admitted its tokens give way to what it used.
     *
     * @return the part of its cost its estimate covered, which stays in the lease until the store counts it spent
     */
    long give(long admittedMinute, long heldTokens, long money, long costNanos, long usedTokens) {
        slotsUsed--;
        moneyInFlight -= money;
        long within = Math.min(costNanos, money);
        covered += within;
        if (admittedMinute == minute) {
            tokensUsed = Math.max(0, tokensUsed + usedTokens - heldTokens);
        }
        return within;
    }

    /** The store counted {@code coveredNanos} of the lease's money as spent. */
    void spent(long coveredNanos) {
        covered -= coveredNanos;
    }

    /**
     * This scope's part of the next call: the spend of its batch ({@code spend}, of which {@code coveredSpend} was
     * inside the lease), and per share what is held (all of it, or when {@code returning} only what requests use,
     * the rest given up at once) and what more is needed: {@code needed}'s, or when {@code grow} a cushion once
     * half of the last one is used.
     */
    LeaseSync.ScopeSync sync(long spend, long coveredSpend, boolean returning, boolean grow, long[] needed) {
        long moneyHeld = moneyGranted - coveredSpend;
        if (returning) {
            long free = freeMoney();
            moneyHeld -= free;
            moneyGranted -= free;
            requestsGranted = requestsUsed;
            tokensGranted = tokensUsed;
            slotsGranted = slotsUsed;
        }
        return new LeaseSync.ScopeSync(scope(), spend,
                share(Share.REQUESTS, limits.rpm() >= 0, Math.max(requestsGranted, requestsUsed),
                        requestsGranted - requestsUsed, grow, needed),
                share(Share.TOKENS, limits.tpm() >= 0, Math.max(tokensGranted, tokensUsed), tokensGranted - tokensUsed,
                        grow, needed),
                share(Share.SLOTS, limits.maxConcurrent() >= 0, Math.max(slotsGranted, slotsUsed), slotsGranted - slotsUsed,
                        grow, needed),
                share(Share.MONEY, budgeted(), moneyHeld, freeMoney(), grow, needed));
    }

    private LeaseSync.Share share(Share share, boolean limited, long held, long free, boolean grow, long[] needed) {
        if (!limited) {
            return LeaseSync.Share.NONE;
        }
        long need = grow ? needed[share.ordinal()] : -1;
        if (need < 0 && grow && free < cushion[share.ordinal()] / 2) {
            need = 0;
        }
        return new LeaseSync.Share(Math.max(0, held), need);
    }

    /** Takes what the store granted; the minute's shares only if the call was of this minute. */
    void granted(LeaseGrant.ScopeGrant grant, long callMinute, LeaseSync.ScopeSync asked) {
        moneyGranted = grant.moneyNanos();
        slotsGranted = grant.slots();
        remember(Share.MONEY, asked.money(), freeMoney());
        remember(Share.SLOTS, asked.slots(), slotsGranted - slotsUsed);
        if (callMinute == minute) {
            requestsGranted = grant.requests();
            tokensGranted = grant.tokens();
            remember(Share.REQUESTS, asked.requests(), requestsGranted - requestsUsed);
            remember(Share.TOKENS, asked.tokens(), tokensGranted - tokensUsed);
        }
    }

    private void remember(Share share, LeaseSync.Share asked, long free) {
        if (asked.needed() >= 0) {
            cushion[share.ordinal()] = Math.max(0, free);
        }
    }

    /** Whether anything is held or in use, so the lease must be renewed (or returned) before it expires. */
    boolean holdsAnything() {
        return moneyGranted > 0 || slotsGranted > 0 || slotsUsed > 0 || requestsGranted > requestsUsed
                || tokensGranted > tokensUsed || covered > 0;
    }

    /**
     * Why a request lacking {@code share} is refused, in the counts the store last answered: for money, the first
     * budget the request does not fit beside what is spent and reserved.
     */
    Verdict.Refused refusal(Share share, Hold hold, LeaseGrant.ScopeGrant grant) {
        Window w = hold.window();
        long minuteEnd = (w.minute() + 1) * 60_000;
        return switch (share) {
            case REQUESTS -> new Verdict.Refused(Verdict.Limit.RPM, name, limits.rpm(), grant.requestsCounted(), 0, 1,
                    minuteEnd);
            case TOKENS -> new Verdict.Refused(Verdict.Limit.TPM, name, limits.tpm(), grant.tokensCounted(), 0,
                    hold.tokens(), minuteEnd);
            case SLOTS -> new Verdict.Refused(Verdict.Limit.CONCURRENCY, name, limits.maxConcurrent(), grant.inFlight(),
                    0, 1, -1);
            case MONEY -> {
                Period tightest = null;
                long least = Long.MAX_VALUE;
                for (Period period : Period.values()) {
                    long limit = limits.budget(period);
                    if (limit >= 0 && limit - grant.spent(period) < least) {
                        least = limit - grant.spent(period);
                        tightest = period;
                    }
                }
                yield new Verdict.Refused(Verdict.Limit.ofBudget(tightest), name, limits.budget(tightest),
                        grant.spent(tightest), grant.reservedNanos(), hold.estimateNanos(), w.resetMs(tightest));
            }
        };
    }

    private boolean budgeted() {
        return limits.dailyNanos() >= 0 || limits.monthlyNanos() >= 0 || limits.totalNanos() >= 0;
    }

    private long freeMoney() {
        return moneyGranted - covered - moneyInFlight;
    }

    /** A share of a scope's lease that lacks room. */
    record Lack(ScopeLease lease, Share share) {
    }
}
