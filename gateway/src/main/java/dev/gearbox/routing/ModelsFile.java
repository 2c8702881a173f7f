package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import java.util.List;

/**
 * The contents of {@code models.yaml}: the catalog.
 *
 * @param models every model clients may name or routes may choose
 */
record ModelsFile(List<ModelConfig> models) {
}
