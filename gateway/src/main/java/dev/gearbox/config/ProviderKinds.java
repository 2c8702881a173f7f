package dev.gearbox.config;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The provider families registered as {@link ProviderKind} services, by name; loaded once. */
public final class ProviderKinds {

    private static final Map<String, ProviderKind> BY_TYPE = load();

    private ProviderKinds() {
    }

    private static Map<String, ProviderKind> load() {
        Map<String, ProviderKind> byType = new TreeMap<>();
        for (ProviderKind kind : ServiceLoader.load(ProviderKind.class, ProviderKinds.class.getClassLoader())) {
            ProviderKind earlier = byType.putIfAbsent(kind.type(), kind);
            if (earlier != null) {
                throw new IllegalStateException("provider type '" + kind.type() + "' is registered twice: "
                        + earlier.getClass().getName() + " and " + kind.getClass().getName());
            }
        }
        return Map.copyOf(byType);
    }

    /** The family of {@code type}; a type no family registered is refused, naming those that did. */
    public static ProviderKind find(String type) {
        ProviderKind kind = type == null ? null : BY_TYPE.get(type.trim());
        if (kind == null) {
            throw new IllegalArgumentException("type: " + (type == null ? "missing" : "'" + type + "'") + " (expected: one of "
                    + String.join(", ", types()) + ")");
        }
        return kind;
    }

    /** The registered types, in order. */
    public static List<String> types() {
        return List.copyOf(new TreeMap<>(BY_TYPE).keySet());
    }
}
