package dev.gearbox.testing;

import dev.gearbox.time.Scheduler;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose time only moves when a test advances it, so timeouts, backoffs and deadlines
 * are tested without sleeping. Tasks run on the advancing thread, in order of due time (then of
 * scheduling); a task scheduled by a running task runs within the same advance if it falls due in it.
 * Single-threaded.
 */
public final class ManualScheduler implements Scheduler {

    // Not 0: the exchange reads a time of 0 as "not yet".
    private static final long ORIGIN_NANOS = TimeUnit.HOURS.toNanos(1);

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.dueNanos).thenComparingLong(t -> t.sequence));
    private long nowNanos = ORIGIN_NANOS;
    private long sequence;

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    @Override
    public Scheduled schedule(long delayMs, Runnable task) {
        Task scheduled = new Task(nowNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(1, delayMs)), sequence++, task);
        tasks.add(scheduled);
        return () -> scheduled.cancelled = true;
    }

    /** Moves time on by {@code by}, running every task that falls due on the way, each at its own time. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + by);
        }
        long target = nowNanos + by.toNanos();
        while (!tasks.isEmpty() && tasks.peek().dueNanos <= target) {
            Task next = tasks.poll();
            if (next.cancelled) {
                continue;
            }
            nowNanos = next.dueNanos;
            next.task.run();
        }
        nowNanos = target;
    }

    public void advanceMs(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Milliseconds since the scheduler was made. */
    public long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos - ORIGIN_NANOS);
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task {
        final long dueNanos;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Task(long dueNanos, long sequence, Runnable task) {
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.task = task;
        }
    }
}
