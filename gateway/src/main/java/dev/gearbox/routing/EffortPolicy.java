package dev.gearbox.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reasoning effort a route asks of its reasoning models: one effort ({@code effort: medium}), or one
 * per band of the difficulty score ({@code effort: {0.9: high, 0.7: medium, 0: low}}: a request gets the
 * effort of the highest band its score reaches). A client's own {@code reasoning_effort} is never raised.
 */
public sealed interface EffortPolicy {

    /** The effort for a request with this difficulty score, or null when its score is below every band. */
    Effort effortFor(double score);

    /** Whether the effort depends on the score, so the score must be computed for it. */
    boolean needsScore();

    /**
     * The effort to ask of reasoning models for a request, or null to leave the client's (or the model's
     * default): a route's effort may lower a client's own, never raise it, and leaves alone a value it does
     * not know.
     *
     * @param clients the request's {@code reasoning_effort}, or null
     * @param score computes the request's difficulty score, asked only when the effort depends on it
     */
    default Effort decide(String clients, java.util.function.DoubleSupplier score) {
        Effort wanted = effortFor(needsScore() ? score.getAsDouble() : 0);
        Effort client = Effort.ofWire(clients);
        if (wanted == null || (clients != null && (client == null || wanted.compareTo(client) >= 0))) {
            return null;
        }
        return wanted;
    }

    /** Effort as the route reads it in YAML: a name, or a mapping from lowest score to effort. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EffortPolicy of(Object node) {
        if (node instanceof String name) {
            return new Fixed(Effort.parse(name));
        }
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            TreeMap<Double, Effort> bands = new TreeMap<>();
            for (Map.Entry<?, ?> band : map.entrySet()) {
                double from;
                try {
                    from = Double.parseDouble(String.valueOf(band.getKey()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("effort: '" + band.getKey()
                            + "' (expected: a score from 0 to 1 mapped to an effort, such as 0.9: high)");
                }
                if (!(from >= 0 && from <= 1)) {
                    throw new IllegalArgumentException("effort: " + band.getKey() + " (expected: a score from 0 to 1)");
                }
                bands.put(from, Effort.parse(String.valueOf(band.getValue())));
            }
            double[] from = new double[bands.size()];
            Effort[] effort = new Effort[bands.size()];
            int i = 0;
            for (Map.Entry<Double, Effort> band : bands.entrySet()) {
                from[i] = band.getKey();
                effort[i++] = band.getValue();
            }
            return new ByDifficulty(from, effort);
        }
        throw new IllegalArgumentException("effort: '" + node + "' (expected: an effort such as medium, or bands such as"
                + " {0.9: high, 0.7: medium, 0: low})");
    }

    /** The same effort for every request. */
    record Fixed(Effort effort) implements EffortPolicy {
        @Override
        public Effort effortFor(double score) {
            return effort;
        }

        @Override
        public boolean needsScore() {
            return false;
        }
    }

    /**
     * An effort per band of the score, each band from its lowest score up to the next band's, in arrays
     * sorted by lowest score: a lookup per routed request boxes nothing.
     */
    final class ByDifficulty implements EffortPolicy {
        private final double[] from;
        private final Effort[] effort;

        ByDifficulty(double[] from, Effort[] effort) {
            this.from = from;
            this.effort = effort;
        }

        @Override
        public Effort effortFor(double score) {
            for (int i = from.length - 1; i >= 0; i--) {
                if (score >= from[i]) {
                    return effort[i];
                }
            }
            return null;
        }

        @Override
        public boolean needsScore() {
            return true;
        }
    }
}
