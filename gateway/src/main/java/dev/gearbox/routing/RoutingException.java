package dev.gearbox.routing;

/** A request the routing rules cannot place: an unknown model, a budget no model fits, no model the caller may use. */
public final class RoutingException extends RuntimeException {

    /** Why routing failed; decides the status the client sees. */
    public enum Kind {
        /** No model or alias by that name (404). */
        UNKNOWN_MODEL,
        /** The model exists but cannot serve this request (400). */
        WRONG_MODEL,
        /** Every candidate is over the request's budget and the route refuses (400). */
        OVER_BUDGET,
        /** No model of the route can be reached (503). */
        UNAVAILABLE,
        /** No candidate's context window holds the prompt and the completion asked for (400). */
        CONTEXT_LENGTH_EXCEEDED,
        /** The caller's key or team allows no model that could serve the request (403). */
        NOT_ALLOWED
    }

    private final Kind kind;
    private final String model;

    public RoutingException(Kind kind, String model, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.model = model;
    }

    public Kind kind() {
        return kind;
    }

    /** The model name the client asked for. */
    public String model() {
        return model;
    }
}
