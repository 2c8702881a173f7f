package dev.gearbox.config;

/**
 * How savings are counted.
 *
 * @param baselineModel the model savings are measured against; null for the catalog's flagship reasoning model
 */
public record CostConfig(String baselineModel) {

    public static CostConfig none() {
        return new CostConfig(null);
    }
}
