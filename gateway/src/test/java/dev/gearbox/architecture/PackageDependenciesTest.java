package dev.gearbox.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the sources: no package cycles, and the pure core
 * (routing, cost, providers, wire, exchange) never reaches up into the HTTP and inbound layers.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.gearbox(?:\\.[a-z]+)*)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package (dev\\.gearbox[a-z.]*);", Pattern.MULTILINE);
    private static final Map<String, Set<String>> GRAPH = graph();

    @Test
    void hasNoPackageCycles() {
        assertThat(cycles(GRAPH)).isEmpty();
    }

    @Test
    void theCoreNeverDependsOnHttpOrInboundApis() {
        for (String core : List.of("routing", "cost", "providers", "wire", "exchange", "config", "time", "tokens", "responses", "state")) {
            Set<String> uses = new TreeSet<>();
            GRAPH.forEach((pkg, deps) -> {
                if (pkg.equals("dev.gearbox." + core) || pkg.startsWith("dev.gearbox." + core + ".")) {
                    uses.addAll(deps);
                }
            });
            assertThat(uses).as(core).noneMatch(p -> p.startsWith("dev.gearbox.http") || p.startsWith("dev.gearbox.inbound")
                    || p.startsWith("dev.gearbox.server") || p.startsWith("dev.gearbox.admin"));
        }
    }

    @Test
    void theStateStoreSitsBelowTheExchangeAndKnowsOnlyConfig() {
        // Admission reserves through it and telemetry reads it, so it must know neither, nor the request.
        assertThat(GRAPH.getOrDefault("dev.gearbox.state", Set.of())).as("dev.gearbox.state")
                .allMatch(p -> p.equals("dev.gearbox.config"));
    }

    @Test
    void stagesDoNotKnowEachOther() {
        List<String> stages = List.of("dev.gearbox.admission", "dev.gearbox.conversation", "dev.gearbox.routing.stage",
                "dev.gearbox.pricing", "dev.gearbox.cache", "dev.gearbox.upstream", "dev.gearbox.quality");
        for (String stage : stages) {
            assertThat(GRAPH.getOrDefault(stage, Set.of())).as(stage)
                    .noneMatch(p -> stages.contains(p) && !p.equals(stage));
        }
    }

    @Test
    void qualityIsHeardByTelemetryAndKnowsNothingAboveIt() {
        // Telemetry meters quality through its QualityEvents, so quality sits below it and must not reach up.
        assertThat(GRAPH.getOrDefault("dev.gearbox.quality", Set.of())).as("dev.gearbox.quality")
                .noneMatch(p -> p.startsWith("dev.gearbox.telemetry") || p.startsWith("dev.gearbox.http")
                        || p.startsWith("dev.gearbox.inbound") || p.startsWith("dev.gearbox.admin")
                        || p.startsWith("dev.gearbox.server"));
    }

    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                Set<String> deps = graph.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
                Matcher imports = IMPORT.matcher(text);
                while (imports.find()) {
                    if (!imports.group(1).equals(pkg.group(1))) {
                        deps.add(imports.group(1));
                    }
                }
                // Fully qualified uses inside the code count as much as imports.
                Matcher qualified = Pattern.compile("\\b(dev\\.gearbox(?:\\.[a-z]+)+)\\.[A-Z]").matcher(text);
                while (qualified.find()) {
                    if (!qualified.group(1).equals(pkg.group(1))) {
                        deps.add(qualified.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(graph).as("packages found under " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(10);
        return graph;
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
