package dev.gearbox.quality;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Where the quality log lives, shared by replicas with Redis ({@link RedisQualityStore}), in this process and
 * its file otherwise ({@link InProcessQualityStore}): requests kept for feedback until their window closes,
 * verdicts and feedback per day until their retention ends, and the day's shadow spend. Every method is
 * non-blocking; a store that cannot be reached fails its future.
 */
public interface QualityStore {

    /** Keeps a request so feedback on it can be taken until {@code until}. */
    Future<Void> remember(RequestRecord request, Instant until);

    /** A tenant's request still kept for feedback; empty when unknown, expired, or another tenant's. */
    Future<Optional<RequestRecord>> request(String tenant, String requestId);

    /**
     * Keeps a label under its request's {@code day} until {@code until}, and adds it to that day's tally; a
     * second label of the same kind on a request replaces the first (feedback given again).
     */
    Future<Void> keep(QualityLabel label, LocalDate day, Instant until);

    /** One page of a day's labels; {@code cursor} is null for the first, and the page's next is null after the last. */
    Future<Page> labels(LocalDate day, String cursor);

    /** The tally of these days. */
    Future<QualityTally> tally(List<LocalDate> days);

    /** The day's shadow spend so far, held reservations included. */
    Future<Double> spent(LocalDate day);

    /**
     * Holds {@code usd} of the day's shadow budget for a shadow call and its judgement, if the day's spend stays
     * within {@code budgetUsd}, in one atomic step across replicas.
     */
    Future<Budget> reserve(LocalDate day, double usd, double budgetUsd, Instant until);

    /** Replaces what {@link #reserve} held with what the calls cost, and adds that to the route's spend. */
    Future<Void> spend(LocalDate day, String route, double heldUsd, double spentUsd, Instant until);

    Future<Void> close();

    /**
     * @param labels the page's labels
     * @param next where the next page starts, or null after the last
     */
    record Page(List<QualityLabel> labels, String next) {
        public Page {
            labels = List.copyOf(labels);
        }
    }

    /**
     * What a reservation found.
     *
     * @param held whether the spend was held (the budget had room)
     * @param spentUsd the day's shadow spend after it, or as it was when refused
     */
    record Budget(boolean held, double spentUsd) {
    }
}
