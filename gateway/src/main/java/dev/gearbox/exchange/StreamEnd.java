package dev.gearbox.exchange;

import dev.gearbox.wire.ApiException;
import java.util.Objects;

/** How a committed stream ended. */
public sealed interface StreamEnd permits StreamEnd.Done, StreamEnd.Failed, StreamEnd.Relayed {

    /** The answer is whole: end it the way the client's API ends a stream. */
    StreamEnd DONE = new Done();

    /** Whether the client got the whole answer. */
    boolean complete();

    /** The answer reached the client whole. */
    record Done() implements StreamEnd {
        @Override
        public boolean complete() {
            return true;
        }
    }

    /** The answer was cut short by the gateway's side: end with this error event, never a clean end. */
    record Failed(ApiException error) implements StreamEnd {
        public Failed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public boolean complete() {
            return false;
        }
    }

    /** Upstream sent its own error event, already relayed; end the stream with nothing more. */
    record Relayed() implements StreamEnd {
        @Override
        public boolean complete() {
            return false;
        }
    }
}
