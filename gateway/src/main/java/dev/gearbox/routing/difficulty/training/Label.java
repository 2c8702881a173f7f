package dev.gearbox.routing.difficulty.training;

/** What a training prompt teaches: whether it needs a reasoning model, or how much a strong model gained on it. */
public sealed interface Label {

    /**
     * How much the prompt needs a reasoning model: 1 plainly, 0 not at all, between for a source that is
     * harder on average (a competition's easy levels) or a judge's tie.
     */
    record Need(double target) implements Label {
        public Need {
            if (!(target >= 0 && target <= 1)) {
                throw new IllegalArgumentException("target: " + target + " (expected: from 0 to 1)");
            }
        }
    }

    /** The strong model's score minus the weak model's, measured on the prompt (routing-eval's form). */
    record Gain(double gain) implements Label {
        public Gain {
            if (!Double.isFinite(gain)) {
                throw new IllegalArgumentException("gain: " + gain + " (expected: a finite number)");
            }
        }
    }
}
