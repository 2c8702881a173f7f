package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live per-model latency: time to first token and total time, from the gateway's own observations.
 *
 * <p>Each figure is an exponentially weighted moving average, so old observations fade and the figure
 * follows change; before the first observation it is the model's configured seed. Thread-safe and shared
 * by every event loop.
 */
public final class LatencyStats {

    /** Weight of the newest observation: about the last ten calls dominate. */
    static final double ALPHA = 0.2;

    private final ConcurrentHashMap<String, Ewma> firstToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Ewma> total = new ConcurrentHashMap<>();
    /** Every replica's view, merged, when replicas share one (model id to {first token, total} ms). */
    private volatile Map<String, double[]> shared = Map.of();

    public double expectedFirstTokenMs(ModelConfig model) {
        double[] all = shared.get(model.id());
        if (all != null) {
            return all[0];
        }
        Ewma e = firstToken.get(model.id());
        return e == null ? model.latency().firstTokenMs() : e.value();
    }

    public double expectedTotalMs(ModelConfig model) {
        double[] all = shared.get(model.id());
        if (all != null) {
            return all[1];
        }
        Ewma e = total.get(model.id());
        return e == null ? model.latency().totalMs() : e.value();
    }

    /** This replica's own averages, model id to {first token, total} ms, for the replicas' shared view. */
    public Map<String, double[]> local() {
        Map<String, double[]> out = new HashMap<>();
        firstToken.forEach((id, e) -> {
            Ewma t = total.get(id);
            out.put(id, new double[] {e.value(), t == null ? e.value() : t.value()});
        });
        return out;
    }

    /** The replicas' merged averages; a model missing from them keeps this replica's own. */
    public void shared(Map<String, double[]> merged) {
        this.shared = Map.copyOf(merged);
    }

    /** Records one successful call. */
    public void record(ModelConfig model, double firstTokenMs, double totalMs) {
        firstToken.computeIfAbsent(model.id(), id -> new Ewma(model.latency().firstTokenMs())).add(firstTokenMs);
        total.computeIfAbsent(model.id(), id -> new Ewma(model.latency().totalMs())).add(totalMs);
    }

    private static final class Ewma {
        private double value;

        Ewma(double seed) {
            this.value = seed;
        }

        synchronized void add(double sample) {
            value += ALPHA * (sample - value);
        }

        synchronized double value() {
            return value;
        }
    }
}
