package dev.gearbox.quality;

import java.util.random.RandomGenerator;

/**
 * The chances the quality capability takes: whether a request is sampled, and which answer the judge sees
 * first. One source of each for every event loop, behind a lock, and apart from each other: a seeded sampling
 * source then draws once per request on a sampled route, in their order, whichever loop each lands on and
 * however many judgements run meanwhile.
 */
public final class Sampler {

    private final RandomGenerator sampling;
    private final RandomGenerator positions;

    private Sampler(RandomGenerator sampling, RandomGenerator positions) {
        this.sampling = sampling;
        this.positions = positions;
    }

    public static Sampler of(RandomGenerator sampling, RandomGenerator positions) {
        return new Sampler(sampling, positions);
    }

    /** True for a share {@code rate} of calls; no draw at all for a rate of 0 or 1. */
    public boolean sample(double rate) {
        if (rate <= 0 || rate >= 1) {
            return rate >= 1;
        }
        synchronized (sampling) {
            return sampling.nextDouble() < rate;
        }
    }

    /** A fair coin. */
    public boolean coin() {
        synchronized (positions) {
            return positions.nextBoolean();
        }
    }
}
