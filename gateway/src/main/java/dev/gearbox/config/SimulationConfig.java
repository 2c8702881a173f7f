package dev.gearbox.config;

/**
 * How a simulated model behaves.
 *
 * @param firstTokenMs delay before the first token (or before the whole answer, when not streaming)
 * @param tokenMs delay per generated token after the first
 * @param reasoning whether the model thinks first: emits {@code reasoning_content} and reports reasoning tokens
 * @param answerTokens typical answer length in tokens when the request sets no limit
 * @param failureRate the share of calls that fail, 0 to 1, to rehearse outages
 * @param failureStatus the HTTP status a failing call answers with
 */
public record SimulationConfig(Long firstTokenMs, Long tokenMs, Boolean reasoning, Integer answerTokens,
                               Double failureRate, Integer failureStatus) {

    public SimulationConfig {
        firstTokenMs = firstTokenMs == null ? 0L : firstTokenMs;
        tokenMs = tokenMs == null ? 0L : tokenMs;
        reasoning = reasoning != null && reasoning;
        answerTokens = answerTokens == null ? 60 : answerTokens;
        if (firstTokenMs < 0) {
            throw new IllegalArgumentException("first_token_ms: " + firstTokenMs + " (expected: >= 0)");
        }
        if (tokenMs < 0) {
            throw new IllegalArgumentException("token_ms: " + tokenMs + " (expected: >= 0)");
        }
        failureRate = failureRate == null ? 0.0 : failureRate;
        failureStatus = failureStatus == null ? 503 : failureStatus;
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure_rate: " + failureRate + " (expected: 0..1)");
        }
        if (failureStatus < 400 || failureStatus > 599) {
            throw new IllegalArgumentException("failure_status: " + failureStatus + " (expected: 400..599)");
        }
        if (answerTokens < 1 || answerTokens > 100_000) {
            throw new IllegalArgumentException("answer_tokens: " + answerTokens + " (expected: 1..100000)");
        }
    }

    /** An instant, non-reasoning model. */
    public static SimulationConfig instant() {
        return new SimulationConfig(0L, 0L, false, null, null, null);
    }
}
