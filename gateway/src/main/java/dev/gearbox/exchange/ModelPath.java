package dev.gearbox.exchange;

/**
 * The path a request took through models, as {@code x-gearbox-fallbacks} shows it:
 * {@code o3-mini=503,o3-mini=503,deepseek-reasoner=ok}. Shown only when something failed on the way.
 */
public final class ModelPath {

    private final StringBuilder steps = new StringBuilder();
    private String shown;

    /** Adds a step: {@code model=outcome}, where the outcome is a status, a reason or {@code ok}. */
    public void step(String model, String outcome) {
        if (steps.length() > 0) {
            steps.append(',');
        }
        steps.append(model).append('=').append(outcome);
    }

    /** Shows the path to the client and the log: on an answer after a retry or fallback, or on a failure. */
    public void show() {
        if (steps.length() > 0) {
            shown = steps.toString();
        }
    }

    /** The path when it is shown; null otherwise. */
    public String shown() {
        return shown;
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
