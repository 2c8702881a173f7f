package dev.gearbox.upstream;

import dev.gearbox.providers.Cancellation;
import dev.gearbox.time.Scheduler;

/** Where a request's {@link Attempts} are, with what each state holds; states as types, not flags. */
sealed interface AttemptState {

    /**
     * Stops what this state has in progress before nothing is committed (a call, a backoff), as when the
     * deadline passes or the client goes away; false when there is nothing left that could still answer.
     */
    default boolean stop() {
        return false;
    }

    /** Between candidates. */
    record Idle() implements AttemptState {
        @Override
        public boolean stop() {
            return true;
        }
    }

    /** A call is out and nothing is committed; {@code firstByte} fails it if upstream is too slow. */
    record Calling(Cancellation call, Scheduler.Scheduled firstByte) implements AttemptState {
        @Override
        public boolean stop() {
            firstByte.cancel();
            call.cancel();
            return true;
        }
    }

    /** Waiting to try the same model again. */
    record BackingOff(Scheduler.Scheduled timer) implements AttemptState {
        @Override
        public boolean stop() {
            timer.cancel();
            return true;
        }
    }

    /** A committed stream is being relayed until it ends or the deadline passes; it is aborted, not stopped. */
    record Relaying(StreamRelay relay, Cancellation call, Scheduler.Scheduled deadline) implements AttemptState {
    }

    /** The answer (or the error) has been handed up, and the stream, if any, is over. */
    record Done() implements AttemptState {
    }
}
