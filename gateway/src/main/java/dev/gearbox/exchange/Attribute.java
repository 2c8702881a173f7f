package dev.gearbox.exchange;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The key of a value a listener keeps on an {@link Exchange} (a span, a trace id), so listeners hold
 * per-request state without maps of their own. Keys are constants; each gets a small index into the
 * exchange's slots, so a lookup is an array read.
 *
 * @param <T> the type of the value
 */
public final class Attribute<T> {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final int index;

    private Attribute(String name) {
        this.name = name;
        this.index = NEXT.getAndIncrement();
    }

    /** A new key; make it once, as a constant, since every key takes a slot in exchanges that use it. */
    public static <T> Attribute<T> of(String name) {
        return new Attribute<>(name);
    }

    public String name() {
        return name;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
