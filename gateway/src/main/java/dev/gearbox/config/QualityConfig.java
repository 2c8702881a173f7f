package dev.gearbox.config;

/**
 * What the gateway learns of the quality of its routing: shadow judging of a sample of requests, feedback
 * from applications, and the log of both. Without a {@code quality} section none of it runs and nothing is
 * kept.
 *
 * @param shadow shadow judging; off while no sample rate (here or a route's) is above 0
 * @param retentionDays how long verdicts and feedback are kept, counted from their request
 * @param storeText whether the prompt and the answers are kept with them, on every route (a route may opt in
 *     on its own); without it only the hashed features are
 * @param feedbackWindowHours how long after a request {@code POST /v1/feedback} takes a score for it; 0 keeps
 *     no request for feedback
 * @param file the single-node store's file for verdicts and feedback; by default {@code quality.json} beside
 *     {@code state.file}, and none (memory only) without one
 */
public record QualityConfig(ShadowConfig shadow, Integer retentionDays, Boolean storeText, Integer feedbackWindowHours,
                            String file) {

    public QualityConfig {
        shadow = shadow == null ? ShadowConfig.off() : shadow;
        retentionDays = retentionDays == null ? 30 : retentionDays;
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retention_days: " + retentionDays + " (expected: >= 1)");
        }
        storeText = storeText != null && storeText;
        feedbackWindowHours = feedbackWindowHours == null ? 24 : feedbackWindowHours;
        if (feedbackWindowHours < 0) {
            throw new IllegalArgumentException("feedback_window_hours: " + feedbackWindowHours + " (expected: >= 0)");
        }
    }

    /**
     * Shadow judging: after a sampled request's answer is sent, the same request to a model of the other tier,
     * and both answers to a judge.
     *
     * @param sampleRate the share of requests shadowed, from 0 to 1; a route may set its own
     * @param judgeModel the catalog id of the model that judges
     * @param dailyBudgetUsd what shadow calls and judgements may cost a day, across replicas
     * @param swapPositions whether the judge is asked twice, the answers swapped, to cancel its position bias
     */
    public record ShadowConfig(Double sampleRate, String judgeModel, Double dailyBudgetUsd, Boolean swapPositions) {

        public ShadowConfig {
            sampleRate = sampleRate == null ? 0 : sampleRate;
            if (!(sampleRate >= 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sample_rate: " + sampleRate + " (expected: from 0 to 1)");
            }
            if (judgeModel != null && judgeModel.isBlank()) {
                throw new IllegalArgumentException("judge_model: '' (expected: the id of a chat model of the catalog)");
            }
            if (sampleRate > 0 && judgeModel == null) {
                throw new IllegalArgumentException("judge_model: missing (expected: the id of a chat model of the catalog,"
                        + " to judge what sample_rate " + sampleRate + " samples)");
            }
            dailyBudgetUsd = dailyBudgetUsd == null ? 10 : dailyBudgetUsd;
            if (!(dailyBudgetUsd >= 0 && Double.isFinite(dailyBudgetUsd))) {
                throw new IllegalArgumentException("daily_budget_usd: " + dailyBudgetUsd + " (expected: >= 0)");
            }
            swapPositions = swapPositions == null || swapPositions;
        }

        static ShadowConfig off() {
            return new ShadowConfig(null, null, null, null);
        }
    }
}
