package dev.gearbox.server;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the gateway should receive traffic: true once started, false again while shutting down. */
public final class Readiness {

    private final AtomicBoolean ready = new AtomicBoolean();

    public boolean isReady() {
        return ready.get();
    }

    public void set(boolean value) {
        ready.set(value);
    }
}
