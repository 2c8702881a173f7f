package dev.gearbox.providers.simulated;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;

/** Builds a plausible value that fits a JSON Schema, for simulated tool arguments and structured output. */
final class SchemaSample {

    private static final int MAX_DEPTH = 6;

    private SchemaSample() {
    }

    static Object of(Object schema, String name, SplittableRandom rng) {
        return value(schema, name, rng, 0);
    }

    private static Object value(Object node, String name, SplittableRandom rng, int depth) {
        if (!(node instanceof JsonObject schema) || depth > MAX_DEPTH) {
            return "sample";
        }
        if (schema.getValue("enum") instanceof JsonArray values && !values.isEmpty()) {
            return values.getValue(rng.nextInt(values.size()));
        }
        if (schema.containsKey("const")) {
            return schema.getValue("const");
        }
        for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.getValue(combinator) instanceof JsonArray options && !options.isEmpty()) {
                return value(options.getValue(0), name, rng, depth + 1);
            }
        }
        Object type = schema.getValue("type");
        if (type instanceof JsonArray types) {
            type = types.stream().filter(t -> !"null".equals(t)).findFirst().orElse("null");
        }
        if (type == null) {
            type = schema.containsKey("properties") ? "object" : schema.containsKey("items") ? "array" : "string";
        }
        switch (String.valueOf(type)) {
            case "object":
                JsonObject out = new JsonObject();
                if (schema.getValue("properties") instanceof JsonObject properties) {
                    for (String property : properties.fieldNames()) {
                        out.put(property, value(properties.getValue(property), property, rng, depth + 1));
                    }
                }
                return out;
            case "array":
                return new JsonArray().add(value(schema.getValue("items"), name, rng, depth + 1));
            case "integer":
                return 1 + rng.nextInt(100);
            case "number":
                return Math.round(rng.nextDouble() * 1000) / 10.0;
            case "boolean":
                return rng.nextBoolean();
            case "null":
                return null;
            default:
                return name == null ? Words.pick(rng) : name + "-" + Words.pick(rng);
        }
    }
}
