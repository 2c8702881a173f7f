package dev.gearbox.routing;

import dev.gearbox.config.ConfigException;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ModelKind;
import dev.gearbox.config.YamlLines;
import dev.gearbox.config.YamlReader;
import dev.gearbox.routing.difficulty.WeightsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Validates a version of the routing rules as a whole and compiles it into a {@link RoutingTable}.
 *
 * <p>Checks syntax and schema, references to unknown models and tiers, duplicate route names, routes
 * that can never apply because an earlier one always does, and (with a gateway config) that every route
 * has a model whose provider is configured. Every problem is collected, each naming file, line and field.
 */
public final class RulesCompiler {

    private final GearboxConfig config;
    private final boolean checkProviders;
    private final Clock clock;

    private RulesCompiler(GearboxConfig config, boolean checkProviders, Clock clock) {
        this.config = config;
        this.checkProviders = checkProviders;
        this.clock = clock;
    }

    /** A compiler for a running gateway: models must have a configured provider to be chosen. */
    public static RulesCompiler forGateway(GearboxConfig config, Clock clock) {
        return new RulesCompiler(config, true, clock);
    }

    /** A compiler that checks the rule files alone, as {@code gearbox validate} does without a config. */
    public static RulesCompiler standalone(GearboxConfig config, Clock clock) {
        return new RulesCompiler(config, false, clock);
    }

    public RoutingTable compile(RulesText text) {
        return compile(text, null);
    }

    /**
     * Compiles rule files with difficulty weights already read, as an edit is checked against the weights in
     * force without reading them again.
     *
     * @param weights the weights to route with, or null to read them from {@code text} (the jar's when it has none)
     */
    public RoutingTable compile(RulesText text, DifficultyWeights weights) {
        List<String> problems = new ArrayList<>();
        YamlReader yaml = YamlReader.of(Map.of());
        ModelsFile modelsFile = read(() -> yaml.read(text.models(), text.modelsName(), ModelsFile.class), problems);
        RoutesFile routesFile = read(() -> yaml.read(text.routes(), text.routesName(), RoutesFile.class), problems);
        if (!problems.isEmpty()) {
            throw new RulesException(problems);
        }
        YamlLines modelLines = YamlLines.of(text.models());
        YamlLines routeLines = YamlLines.of(text.routes());
        Problems modelProblems = new Problems(text.modelsName(), modelLines, problems);
        Problems routeProblems = new Problems(text.routesName(), routeLines, problems);

        Map<String, ModelConfig> models = new LinkedHashMap<>();
        List<ModelConfig> fileModels = modelsFile == null || modelsFile.models() == null ? List.of() : modelsFile.models();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fileModels.size(); i++) {
            ModelConfig m = fileModels.get(i);
            if (!seen.add(m.id())) {
                modelProblems.add("models[" + i + "].id", "'" + m.id() + "' is listed twice (expected: unique ids)");
            }
            models.put(m.id(), m);
        }
        // The gateway config describes this deployment, so its models win over catalog entries of the same id.
        config.models().forEach(m -> models.put(m.id(), m));
        Set<String> providers = checkProviders ? config.providers().keySet() : providersOf(models);
        if (models.isEmpty()) {
            modelProblems.add("models", "no models (expected: at least one model)");
        }

        if (routesFile == null || routesFile.routes() == null || routesFile.routes().isEmpty()) {
            routeProblems.add("routes", "no routes (expected: ordered routes ending in a default route without 'when')");
            throw new RulesException(problems);
        }
        List<String> aliasList = routesFile.aliases() == null ? List.of() : routesFile.aliases();
        Set<String> aliases = new LinkedHashSet<>();
        for (int i = 0; i < aliasList.size(); i++) {
            String alias = aliasList.get(i);
            if (models.containsKey(alias)) {
                routeProblems.add("aliases[" + i + "]", "'" + alias + "' is also a model id (expected: a distinct name)");
            } else if (!aliases.add(alias)) {
                routeProblems.add("aliases[" + i + "]", "'" + alias + "' is listed twice");
            }
        }
        for (Map.Entry<String, String> alias : config.aliases().entrySet()) {
            if (!models.containsKey(alias.getValue())) {
                problems.add("gateway config: aliases." + alias.getKey() + ": '" + alias.getValue()
                        + "' (expected: the id of a model in the catalog)");
            }
        }
        String embedding = config.defaultEmbeddingModel();
        if (embedding != null && (models.get(embedding) == null || models.get(embedding).kind() != ModelKind.EMBEDDINGS)) {
            problems.add("gateway config: default_embedding_model: '" + embedding
                    + "' (expected: the id of an embeddings model in the catalog)");
        }

        String moderation = config.defaultModerationModel();
        if (moderation != null && (models.get(moderation) == null || models.get(moderation).kind() != ModelKind.MODERATION)) {
            problems.add("gateway config: default_moderation_model: '" + moderation
                    + "' (expected: the id of a moderation model in the catalog)");
        }

        String judge = judge();
        if (judge != null && (models.get(judge) == null || models.get(judge).kind() != ModelKind.CHAT
                || !providers.contains(models.get(judge).provider()))) {
            problems.add("gateway config: quality.shadow.judge_model: '" + judge + "' (expected: the id of a chat model in"
                    + " the catalog whose provider is configured)");
        }

        Catalog catalog = new Catalog(models, providers, config.aliases(), aliases, embedding, moderation);
        DifficultyWeights scoring = weights == null ? DifficultyWeights.shipped() : weights;
        if (weights == null && text.weights() != null) {
            try {
                scoring = DifficultyWeights.read(text.weightsName(), text.weights());
            } catch (WeightsException e) {
                problems.add(e.getMessage());
            }
        }
        ConditionCompiler conditions = new ConditionCompiler(scoring.model(), models);
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Rule always = null;
        List<RouteSpec> specs = routesFile.routes();
        for (int i = 0; i < specs.size(); i++) {
            RouteSpec spec = specs.get(i);
            String path = "routes[" + i + "]";
            int line = routeLines.lineOf(path).orElse(0);
            if (spec == null || spec.name() == null || spec.name().isBlank()) {
                routeProblems.add(path + ".name", "missing (expected: a unique name)");
                continue;
            }
            Integer earlier = names.putIfAbsent(spec.name(), line);
            if (earlier != null) {
                routeProblems.add(path + ".name", "'" + spec.name() + "' is already the name of the route at line " + earlier
                        + " (expected: unique names)");
            }
            if (spec.then() == null) {
                routeProblems.add(path + ".then", "missing (expected: tier or models)");
                continue;
            }
            if (always != null) {
                routeProblems.add(path, "route '" + spec.name() + "' can never apply: route '" + always.name()
                        + "' at line " + always.line() + " before it always applies");
            }
            Condition when = null;
            if (spec.when() != null) {
                try {
                    when = conditions.compile(spec.when(), path + ".when");
                } catch (RuleException e) {
                    routeProblems.add(e.path(), e.getMessage());
                    continue;
                }
            }
            checkAction(spec.then(), path + ".then", catalog, routeProblems);
            if (spec.quality() != null && spec.quality().sampleRate(0) > 0 && judge() == null) {
                routeProblems.add(path + ".quality.shadow.sample_rate", spec.quality().sampleRate(0) + " (expected: 0 while the"
                        + " gateway config names no quality.shadow.judge_model to judge the samples)");
            }
            Rule rule = new Rule(spec.name(), when, spec.then(), line, spec.quality());
            rules.add(rule);
            if (rule.always() && always == null) {
                always = rule;
            }
        }
        RouteSpec last = specs.get(specs.size() - 1);
        if (last == null || last.when() != null) {
            routeProblems.add("routes[" + (specs.size() - 1) + "]",
                    "the last route must be a default route without 'when', so every request has a route");
        }
        if (!problems.isEmpty()) {
            throw new RulesException(problems);
        }
        return new RoutingTable(catalog, rules, scoring, text.version(), text.withoutWeights(), clock.instant());
    }

    /** The model that judges shadow samples, or null when the config names none. */
    private String judge() {
        return config.quality() == null ? null : config.quality().shadow().judgeModel();
    }

    private void checkAction(RouteAction then, String path, Catalog catalog, Problems problems) {
        int candidates = 0;
        if (then.tier() != null) {
            if (!catalog.tiers().contains(then.tier())) {
                problems.add(path + ".tier", "unknown tier '" + then.tier() + "' (expected one of: " + catalog.tiers() + ")");
                return;
            }
            candidates = catalog.tier(then.tier()).size();
        }
        for (int i = 0; i < then.models().size(); i++) {
            candidates += checkModel(then.models().get(i), path + ".models[" + i + "]", catalog, problems);
        }
        for (int i = 0; i < then.fallbacks().size(); i++) {
            candidates += checkModel(then.fallbacks().get(i), path + ".fallbacks[" + i + "]", catalog, problems);
        }
        for (String weighted : then.weights().keySet()) {
            if (!then.models().contains(weighted)) {
                problems.add(path + ".weights." + weighted, "'" + weighted + "' is not one of this route's models");
            }
        }
        if (candidates == 0 && then.tier() != null) {
            problems.add(path + ".tier", "no model of tier '" + then.tier() + "' has a configured provider (configured: "
                    + catalog.configuredProviders().stream().sorted().toList() + ")");
        } else if (candidates == 0) {
            problems.add(path + ".models", "none of these models has a configured provider (configured: "
                    + catalog.configuredProviders().stream().sorted().toList() + ")");
        }
    }

    private static int checkModel(String id, String path, Catalog catalog, Problems problems) {
        ModelConfig model = catalog.model(id).orElse(null);
        if (model == null) {
            problems.add(path, "unknown model '" + id + "' (expected: a model of models.yaml)");
            return 1;
        }
        if (model.kind() != ModelKind.CHAT) {
            problems.add(path, "'" + id + "' is an embeddings model (expected: a chat model)");
        }
        return catalog.available(model) ? 1 : 0;
    }

    private static Set<String> providersOf(Map<String, ModelConfig> models) {
        Set<String> out = new HashSet<>();
        models.values().forEach(m -> out.add(m.provider()));
        return out;
    }

    private static <T> T read(java.util.function.Supplier<T> reader, List<String> problems) {
        try {
            return reader.get();
        } catch (ConfigException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Collects problems of one file, adding its name and the line of each path. */
    private record Problems(String file, YamlLines lines, List<String> out) {
        void add(String path, String message) {
            OptionalInt line = lines.lineOf(path);
            out.add(file + (line.isPresent() ? ": line " + line.getAsInt() : "") + ": " + path + ": " + message);
        }
    }
}
