package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
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

    public double expectedFirstTokenMs(ModelConfig model) {
        Ewma e = firstToken.get(model.id());
        return e == null ? model.latency().firstTokenMs() : e.value();
    }

    public double expectedTotalMs(ModelConfig model) {
        Ewma e = total.get(model.id());
        return e == null ? model.latency().totalMs() : e.value();
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
