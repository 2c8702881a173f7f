package dev.gearbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler the timing tests stand on: it must run exactly what falls due, when it falls due. */
class ManualSchedulerTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsDueTasksInOrderOfDueTimeEachAtItsOwnTime() {
        long start = scheduler.nanoTime();
        scheduler.schedule(30, () -> ran.add("30@" + scheduler.elapsedMs()));
        scheduler.schedule(10, () -> ran.add("10@" + scheduler.elapsedMs()));
        scheduler.schedule(10, () -> ran.add("10b@" + scheduler.elapsedMs()));

        scheduler.advanceMs(29);
        assertThat(ran).containsExactly("10@10", "10b@10");

        scheduler.advanceMs(1);
        assertThat(ran).containsExactly("10@10", "10b@10", "30@30");
        assertThat(scheduler.nanoTime() - start).isEqualTo(30_000_000L);
    }

    @Test
    void runsTasksScheduledByTasksWhenTheyFallDueWithinTheSameAdvance() {
        scheduler.schedule(10, () -> scheduler.schedule(10, () -> ran.add("inner@" + scheduler.elapsedMs())));

        scheduler.advanceMs(25);

        assertThat(ran).containsExactly("inner@20");
        assertThat(scheduler.elapsedMs()).isEqualTo(25);
    }

    @Test
    void aCancelledTaskNeverRuns() {
        Scheduler.Scheduled task = scheduler.schedule(10, () -> ran.add("cancelled"));
        task.cancel();

        scheduler.advanceMs(100);

        assertThat(ran).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aDelayBelowOneMillisecondWaitsOne() {
        scheduler.schedule(0, () -> ran.add("now"));

        scheduler.advanceMs(0);
        assertThat(ran).isEmpty();

        scheduler.advanceMs(1);
        assertThat(ran).containsExactly("now");
    }
}
