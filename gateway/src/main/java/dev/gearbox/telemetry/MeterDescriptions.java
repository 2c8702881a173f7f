package dev.gearbox.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives every meter of {@link MeterNames} its description as it is registered, so each {@code # HELP} line on
 * {@code /metrics} says what the series is; the listeners that register meters name them only.
 */
public final class MeterDescriptions implements MeterFilter {

    private MeterDescriptions() {
    }

    public static MeterDescriptions create() {
        return new MeterDescriptions();
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = MeterNames.description(id.getName());
        if (description == null || id.getDescription() != null) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
    }
}
