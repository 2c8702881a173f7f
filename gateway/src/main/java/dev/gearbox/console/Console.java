package dev.gearbox.console;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.Secret;
import dev.gearbox.console.whatif.TrafficSample;
import dev.gearbox.exchange.ExchangeListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What the console of every event loop shares, made once at start: its files, its sessions, the history of
 * the meters and the sample of recent traffic.
 */
public final class Console {

    private final Secret adminToken;
    private final Sessions sessions;
    private final Assets assets;
    private final MeterHistory history;
    private final TrafficSample sample;

    private Console(Secret adminToken, Sessions sessions, Assets assets, MeterHistory history, TrafficSample sample) {
        this.adminToken = adminToken;
        this.sessions = sessions;
        this.assets = assets;
        this.history = history;
        this.sample = sample;
    }

    /**
     * The console of a gateway config, or null when {@code console.enabled} is off. Reads its files from the
     * jar: call it at start, off the event loops.
     */
    public static Console of(GearboxConfig config, MeterRegistry meters, Clock clock) {
        if (!config.console().enabled()) {
            return null;
        }
        int size = config.console().sampleSize();
        return new Console(config.server().adminToken(), Sessions.of(config.server().adminToken(), clock), Assets.load(),
                MeterHistory.of(meters, clock), size == 0 ? null : TrafficSample.of(size, config.console().samplePrompts(), clock));
    }

    /** What keeps the sample of recent traffic, to hear every exchange; null when no sample is kept. */
    public ExchangeListener listener() {
        return sample;
    }

    /** Adds what the meters grew by to the history; walks the registry, so call it on a worker. */
    public void sampleMeters() {
        history.sample();
    }

    Secret adminToken() {
        return adminToken;
    }

    Sessions sessions() {
        return sessions;
    }

    Assets assets() {
        return assets;
    }

    MeterHistory history() {
        return history;
    }

    TrafficSample sample() {
        return sample;
    }
}
