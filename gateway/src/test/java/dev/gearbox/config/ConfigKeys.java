package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config's keys as dotted paths ({@code server.api_keys[].budget_usd.daily}, {@code providers.<*>.type}),
 * read three ways: from the records the loader fills, from the JSON Schema, and from the reference tables of
 * {@code docs/configuration.md}. A name chosen by the operator (a provider's, a model's) is {@code <*>}; a
 * list entry is {@code []}.
 */
final class ConfigKeys {

    /** Records the loader reads from one scalar (YamlReader registers a deserializer for them): leaves, not sections. */
    private static final Set<Class<?>> SCALAR_RECORDS = Set.of(Secret.class, ProviderOption.class);
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("\\(expected one of: ([^)]*)\\)");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");

    private ConfigKeys() {
    }

    /** Every key the config records accept, as YamlReader names them, with each provider family's own fields. */
    static SortedSet<String> accepted() {
        SortedSet<String> keys = new TreeSet<>();
        walk(GearboxConfig.class, "", keys);
        for (String family : familyFields().values().stream().flatMap(Set::stream).toList()) {
            keys.add("providers.<*>." + family);
        }
        return keys;
    }

    /**
     * The fields each provider family accepts besides the shared ones. Families keep them in their own check,
     * which refuses any other field naming the allowed ones; that message is the one place they are listed, so
     * it is asked rather than copied here.
     */
    static Map<String, Set<String>> familyFields() {
        Map<String, Set<String>> fields = new java.util.TreeMap<>();
        for (String type : ProviderKinds.types()) {
            String probe = "zz_not_a_field";
            try {
                ProviderKinds.find(type).check(ProviderOptions.of(Map.of(probe, new ProviderOption("x"))));
                throw new AssertionError(type + " accepted a field no family has: " + probe);
            } catch (IllegalArgumentException e) {
                Matcher m = UNKNOWN_FIELD.matcher(String.valueOf(e.getMessage()));
                if (!e.getMessage().startsWith(probe + ": unknown field") || !m.find()) {
                    throw new AssertionError(type + " refused an unknown field with another message: " + e.getMessage(), e);
                }
                Set<String> own = new TreeSet<>();
                for (String name : m.group(1).split(",")) {
                    if (!name.isBlank()) {
                        own.add(name.strip());
                    }
                }
                fields.put(type, own);
            }
        }
        return fields;
    }

    private static void walk(Class<?> record, String prefix, Set<String> keys) {
        for (RecordComponent component : record.getRecordComponents()) {
            if (anySetter(record, component)) {
                continue;
            }
            String path = prefix + name(component);
            Type type = component.getGenericType();
            if (type instanceof Class<?> c && section(c)) {
                walk(c, path + ".", keys);
            } else if (type instanceof ParameterizedType p && p.getRawType() == List.class && section(p.getActualTypeArguments()[0])) {
                walk((Class<?>) p.getActualTypeArguments()[0], path + "[].", keys);
            } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class && section(p.getActualTypeArguments()[1])) {
                walk((Class<?>) p.getActualTypeArguments()[1], path + ".<*>.", keys);
            } else {
                keys.add(path);
            }
        }
    }

    private static boolean section(Type type) {
        return type instanceof Class<?> c && c.isRecord() && !SCALAR_RECORDS.contains(c);
    }

    private static boolean anySetter(Class<?> record, RecordComponent component) {
        try {
            return component.isAnnotationPresent(JsonAnySetter.class)
                    || record.getDeclaredField(component.getName()).isAnnotationPresent(JsonAnySetter.class);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static String name(RecordComponent component) {
        JsonProperty explicit = component.getAnnotation(JsonProperty.class);
        if (explicit != null && !explicit.value().isEmpty()) {
            return explicit.value();
        }
        return SNAKE_CASE.translate(component.getName());
    }

    /** Every key the schema describes, following its local {@code $ref}s. */
    static SortedSet<String> inSchema(JsonNode schema) {
        SortedSet<String> keys = new TreeSet<>();
        properties(schema, schema, "", keys);
        return keys;
    }

    private static void properties(JsonNode root, JsonNode node, String prefix, Set<String> keys) {
        Iterator<Map.Entry<String, JsonNode>> fields = resolve(root, node).path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode value = resolve(root, field.getValue());
            JsonNode items = resolve(root, value.path("items"));
            JsonNode entries = resolve(root, value.path("additionalProperties"));
            if (value.has("properties")) {
                properties(root, value, path + ".", keys);
            } else if (items.has("properties")) {
                properties(root, items, path + "[].", keys);
            } else if (entries.has("properties")) {
                properties(root, entries, path + ".<*>.", keys);
            } else {
                keys.add(path);
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (!ref.isTextual()) {
            return node;
        }
        if (!ref.textValue().startsWith("#/")) {
            throw new AssertionError("only local $refs are followed: " + ref.textValue());
        }
        return resolve(root, root.at(ref.textValue().substring(1)));
    }

    /**
     * The keys of the reference tables of a Markdown page: tables whose first column is {@code key}. A cell
     * may list several keys: the first is a whole path, and any later one that is not a path below a
     * section ({@code state.zone}) is a sibling of the first ({@code `server.api_keys[].rpm`, `tpm`}). A key ending in
     * {@code .*} stands for every accepted key below it.
     */
    static SortedSet<String> inReference(String markdown, Set<String> accepted) {
        Set<String> sections = new TreeSet<>();
        accepted.forEach(k -> sections.add(k.split("[.\\[]", 2)[0]));
        SortedSet<String> keys = new TreeSet<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (!inTable) {
                inTable = cells.get(0).equals("key");
                continue;
            }
            if (cells.get(0).startsWith("---")) {
                continue;
            }
            List<String> tokens = new ArrayList<>();
            Matcher code = Pattern.compile("`([^`]+)`").matcher(cells.get(0));
            while (code.find()) {
                tokens.add(PLACEHOLDER.matcher(code.group(1)).replaceAll("<*>"));
            }
            if (tokens.isEmpty()) {
                throw new AssertionError("a reference row names no key: " + line);
            }
            String first = tokens.get(0);
            String parent = first.contains(".") ? first.substring(0, first.lastIndexOf('.') + 1) : "";
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                boolean whole = i == 0 || token.matches("[^.\\[]+[.\\[].*") && sections.contains(token.split("[.\\[]", 2)[0]);
                String key = whole ? token : parent + token;
                if (key.endsWith(".*")) {
                    String below = key.substring(0, key.length() - 1);
                    List<String> covered = accepted.stream().filter(k -> k.startsWith(below)).toList();
                    if (covered.isEmpty()) {
                        throw new AssertionError(key + " stands for no key the config accepts");
                    }
                    keys.addAll(covered);
                } else {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String cell : row.substring(1).split("(?<!\\\\)\\|")) {
            cells.add(cell.strip());
        }
        return cells;
    }
}
