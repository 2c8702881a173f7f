package dev.gearbox.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests whose response has not ended yet, so a shutdown knows when draining is done. */
public final class InFlight {

    private final AtomicInteger count = new AtomicInteger();

    public void started() {
        count.incrementAndGet();
    }

    public void ended() {
        count.decrementAndGet();
    }

    public int count() {
        return count.get();
    }
}
