package dev.gearbox.exchange;

import dev.gearbox.wire.ApiException;

/** Why the work for a request was stopped before its answer was over. */
public enum Interruption {

    /** The client went away: nobody is left to hear the answer. */
    CLIENT_GONE("cancelled", new ApiException(499, "server_error", "client_closed", null, "The client went away.")),
    /**
     * The gateway is shutting down and its drain time is over: the client is told, in its API's error shape,
     * rather than cut off, and may send the request again to another replica.
     */
    SHUTDOWN("shutdown", new ApiException(503, "server_error", "gateway_shutting_down", null,
            "The gateway is shutting down and could not finish the answer in time; send the request again.", "1"));

    private final String outcome;
    private final ApiException error;

    Interruption(String outcome, ApiException error) {
        this.outcome = outcome;
        this.error = error;
    }

    /** The exchange's outcome, as metrics and the access log name it. */
    public String outcome() {
        return outcome;
    }

    /** What the client is told: as the answer when none had begun, else as the stream's last event. */
    public ApiException error() {
        return error;
    }
}
