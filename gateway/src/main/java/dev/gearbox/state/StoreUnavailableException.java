package dev.gearbox.state;

/** The store cannot be reached; what it was asked is unknown to have happened. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
