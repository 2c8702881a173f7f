package dev.gearbox.routing;

/**
 * A route's own quality settings ({@code quality} beside {@code when} and {@code then}), over the gateway
 * config's: how much of its traffic is shadow-judged, and whether its prompts and answers are kept with its
 * verdicts and feedback.
 *
 * @param shadow the route's shadow sampling; null for the gateway's
 * @param storeText true to keep the text of the route's requests and answers with its labels; null for the
 *     gateway's {@code quality.store_text}
 */
public record RouteQuality(Shadow shadow, Boolean storeText) {

    /** @param sampleRate the share of the route's requests shadowed, from 0 to 1 */
    public record Shadow(Double sampleRate) {
        public Shadow {
            if (sampleRate == null) {
                throw new IllegalArgumentException("sample_rate: missing (expected: from 0 to 1)");
            }
            if (!(sampleRate >= 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sample_rate: " + sampleRate + " (expected: from 0 to 1)");
            }
        }
    }

    /** The route's sample rate, else {@code gateway}'s. */
    public double sampleRate(double gateway) {
        return shadow == null ? gateway : shadow.sampleRate();
    }

    /** Whether the route keeps text, else whether the gateway does. */
    public boolean storeText(boolean gateway) {
        return storeText == null ? gateway : storeText;
    }
}
