package dev.gearbox.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into records with snake_case fields, expanding {@code ${ENV_VAR}} references, and turns
 * every problem into a {@link ConfigException} naming the file, line and field.
 */
public final class YamlReader {

    private static final Pattern LEADING_FIELD = Pattern.compile("([a-z_]+(?:\\[\\d+])?(?:\\.[a-z_]+(?:\\[\\d+])?)*): ");

    private final ObjectMapper mapper;

    private YamlReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A reader that expands references from the given environment. */
    public static YamlReader of(Map<String, String> env) {
        return new YamlReader(mapper(new EnvExpander(Map.copyOf(env))));
    }

    /** Reads a YAML text; {@code source} names it in error messages. Returns null for an empty document. */
    public <T> T read(String yaml, String source, Class<T> type) {
        try {
            return mapper.readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(source, yaml, e), e);
        }
    }

    private static ObjectMapper mapper(EnvExpander expander) {
        SimpleModule module = new SimpleModule("gearbox-config");
        module.addDeserializer(String.class, new JsonDeserializer<>() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return expander.expand(p.getValueAsString());
            }
        });
        module.addDeserializer(Secret.class, new JsonDeserializer<>() {
            @Override
            public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return expander.secret(p.getValueAsString());
            }
        });
        module.addDeserializer(ProviderOption.class, new JsonDeserializer<>() {
            @Override
            public ProviderOption deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return option(expander, p.readValueAsTree());
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .registerModule(module);
    }

    /**
     * A family's own field: a value that is exactly one {@code ${ENV}} reference is kept as a {@link Secret},
     * so the family can insist that keys come only that way; other text is expanded.
     */
    private static ProviderOption option(EnvExpander expander, com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return new ProviderOption(EnvExpander.isReference(text) ? expander.secret(text) : expander.expand(text));
        }
        if (node.isNumber()) {
            return new ProviderOption(node.numberValue());
        }
        if (node.isBoolean()) {
            return new ProviderOption(node.booleanValue());
        }
        if (node.isArray()) {
            java.util.List<Object> values = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode element : node) {
                values.add(element.isTextual() ? expander.expand(element.textValue()) : element.toString());
            }
            return new ProviderOption(values);
        }
        return new ProviderOption(node.isNull() ? null : node.toString());
    }

    static String describe(String source, String yaml, JsonProcessingException e) {
        MarkedYAMLException syntax = find(e, MarkedYAMLException.class);
        if (syntax != null) {
            Mark mark = syntax.getContextMark() != null ? syntax.getContextMark() : syntax.getProblemMark();
            String context = syntax.getContext() == null ? "" : syntax.getContext() + ": ";
            return source + (mark == null ? "" : ": line " + (mark.getLine() + 1)) + ": YAML syntax: " + context
                    + syntax.getProblem();
        }
        if (!(e instanceof JsonMappingException jm)) {
            JsonLocation loc = e.getLocation();
            return source + (loc != null && loc.getLineNr() > 0 ? ": line " + loc.getLineNr() : "")
                    + ": YAML syntax: " + e.getOriginalMessage();
        }
        String path = path(jm);
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            problem = "unknown field (expected one of: " + known + ")";
        } else {
            Throwable cause = rootCause(e);
            if (e instanceof ValueInstantiationException || cause instanceof IllegalArgumentException
                    || cause instanceof NullPointerException) {
                String detail = String.valueOf(cause.getMessage());
                // A record's own check names the field first ("port: -5 (...)"); make it part of the path.
                Matcher field = LEADING_FIELD.matcher(detail);
                if (e instanceof ValueInstantiationException && field.lookingAt()) {
                    path = path.isEmpty() ? field.group(1) : path + "." + field.group(1);
                    detail = detail.substring(field.end());
                }
                problem = detail;
            } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                problem = "wrong type (expected: " + describeType(mi.getTargetType()) + ")";
            } else {
                problem = e.getOriginalMessage();
            }
        }
        OptionalInt line = YamlLines.of(yaml).lineOf(path);
        if (line.isEmpty() && e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            line = OptionalInt.of(e.getLocation().getLineNr());
        }
        return source + (line.isPresent() ? ": line " + line.getAsInt() : "") + ": "
                + (path.isEmpty() ? "" : path + ": ") + problem;
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String describeType(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
