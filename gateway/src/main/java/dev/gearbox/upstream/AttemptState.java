package dev.gearbox.upstream;

import dev.gearbox.providers.Cancellation;
import dev.gearbox.time.Scheduler;

/** Where a request's {@link Attempts} are, with what each state holds; states as types, not flags. */
sealed interface AttemptState {

    /** Between candidates. */
    record Idle() implements AttemptState {
    }

    /** A call is out and nothing is committed; {@code firstByte} fails it if upstream is too slow. */
    record Calling(Cancellation call, Scheduler.Scheduled firstByte) implements AttemptState {
    }

    /** Waiting to try the same model again. */
    record BackingOff(Scheduler.Scheduled timer) implements AttemptState {
    }

    /** A committed stream is being relayed until it ends or the deadline passes. */
    record Relaying(StreamRelay relay, Cancellation call, Scheduler.Scheduled deadline) implements AttemptState {
    }

    /** The answer (or the error) has been handed up, and the stream, if any, is over. */
    record Done() implements AttemptState {
    }
}
