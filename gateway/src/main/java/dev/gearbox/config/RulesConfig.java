package dev.gearbox.config;

/**
 * Where the routing rules live and how often to look for changes.
 *
 * @param directory the rules directory; null uses {@code routing-rules/} when present, else the built-in rules
 * @param reloadIntervalMs how often the directory is checked for changes
 */
public record RulesConfig(String directory, Long reloadIntervalMs) {

    public RulesConfig {
        reloadIntervalMs = reloadIntervalMs == null ? 2_000L : reloadIntervalMs;
        if (reloadIntervalMs < 50) {
            throw new IllegalArgumentException("reload_interval_ms: " + reloadIntervalMs + " (expected: >= 50)");
        }
    }

    public static RulesConfig defaults() {
        return new RulesConfig(null, null);
    }
}
