package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.routing.Conditions.FlagCondition;
import dev.gearbox.routing.Conditions.NumberCondition;
import dev.gearbox.routing.Conditions.StringCondition;
import dev.gearbox.routing.Conditions.TextCondition;
import dev.gearbox.routing.Matchers.NumberRange;
import dev.gearbox.routing.Matchers.StringMatch;
import dev.gearbox.routing.Matchers.TextMatch;
import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.ShareTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Compiles the {@code when} of a route, as read from YAML, into a {@link Condition}.
 *
 * <p>A mapping holds conditions that must all hold; {@code all}, {@code any} and {@code not} combine
 * them. Problems raise a {@link RuleException} naming the path of the offending field.
 */
final class ConditionCompiler {

    /** The condition names, for error messages and the JSON schema. */
    static final List<String> NAMES = List.of("all", "any", "not", "model", "tenant", "api_key", "header", "user",
            "metadata", "prompt_tokens", "max_tokens", "reasoning_effort", "has_tools", "has_response_format",
            "has_images", "stream", "messages", "last_user_message", "system_prompt", "estimated_cost_usd", "difficulty");

    private final Map<String, ModelConfig> models;
    private final DifficultyModel difficulty;

    ConditionCompiler(DifficultyModel difficulty, Map<String, ModelConfig> models) {
        this.models = models;
        this.difficulty = difficulty;
    }

    Condition compile(Object node, String path) {
        if (!(node instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new RuleException(path, "expected a mapping of conditions, such as {prompt_tokens: {gt: 8000}}");
        }
        List<Condition> parts = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            parts.add(leaf(key, entry.getValue(), path + "." + key));
        }
        return parts.size() == 1 ? parts.get(0) : new Conditions.All(parts);
    }

    private Condition leaf(String name, Object value, String path) {
        return switch (name) {
            case "all" -> new Conditions.All(list(value, path));
            case "any" -> new Conditions.Any(list(value, path));
            case "not" -> new Conditions.Not(compile(value, path));
            case "model" -> new StringCondition("model", RequestFeatures::model, strings(value, path), true);
            case "tenant" -> new StringCondition("tenant", RequestFeatures::tenant, strings(value, path), false);
            case "api_key" -> new StringCondition("api_key", RequestFeatures::apiKey, strings(value, path), false);
            case "user" -> new StringCondition("user", RequestFeatures::user, strings(value, path), false);
            case "reasoning_effort" -> new StringCondition("reasoning_effort", RequestFeatures::reasoningEffort,
                    strings(value, path), false);
            case "header" -> Conditions.headers(keyed(value, path, true));
            case "metadata" -> metadata(keyed(value, path, false));
            case "prompt_tokens" -> new Conditions.PromptTokensCondition(range(value, path));
            case "messages" -> NumberCondition.ofInt("messages", RequestFeatures::messageCount, range(value, path));
            case "max_tokens" -> new NumberCondition("max_tokens", RequestFeatures::maxTokens, range(value, path));
            case "has_tools" -> new FlagCondition("has_tools", RequestFeatures::hasTools, flag(value, path));
            case "has_response_format" -> new FlagCondition("has_response_format", RequestFeatures::hasResponseFormat, flag(value, path));
            case "has_images" -> new FlagCondition("has_images", RequestFeatures::hasImages, flag(value, path));
            case "stream" -> new FlagCondition("stream", RequestFeatures::stream, flag(value, path));
            case "last_user_message" -> new TextCondition("last_user_message", RequestFeatures::lastUserMessage,
                    RequestFeatures::lastUserMessageFolded, text(value, path));
            case "system_prompt" -> new TextCondition("system_prompt", RequestFeatures::systemPrompt,
                    RequestFeatures::systemPromptFolded, text(value, path));
            case "estimated_cost_usd" -> cost(value, path);
            case "difficulty" -> difficulty(value, path);
            default -> throw new RuleException(path, "unknown condition '" + name + "' (expected one of: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    private List<Condition> list(Object value, String path) {
        if (!(value instanceof List<?> items) || items.isEmpty()) {
            throw new RuleException(path, "expected a non-empty list of conditions");
        }
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(compile(items.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static Condition metadata(Map<String, StringMatch> matches) {
        List<Condition> parts = matches.entrySet().stream()
                .<Condition>map(e -> new StringCondition("metadata." + e.getKey(), r -> r.metadata(e.getKey()), e.getValue(), false))
                .toList();
        return parts.size() == 1 ? parts.get(0) : new Conditions.All(parts);
    }

    private Map<String, StringMatch> keyed(Object value, String path, boolean lowerCaseKeys) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new RuleException(path, "expected a mapping of names to values, such as {x-team: search}");
        }
        Map<String, StringMatch> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            out.put(lowerCaseKeys ? key.toLowerCase(Locale.ROOT) : key, strings(entry.getValue(), path + "." + key));
        }
        return out;
    }

    /** A value, a list of values, {regex: ...} or {present: true|false}. */
    static StringMatch strings(Object value, String path) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return new StringMatch(Set.of(String.valueOf(value)), null, null);
        }
        if (value instanceof List<?> items && !items.isEmpty()
                && items.stream().allMatch(i -> i instanceof String || i instanceof Number)) {
            return new StringMatch(items.stream().map(String::valueOf).collect(Collectors.toCollection(LinkedHashSet::new)), null, null);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            if (map.get("regex") instanceof String regex) {
                return new StringMatch(null, pattern(regex, path + ".regex", 0), null);
            }
            if (map.get("present") instanceof Boolean present) {
                return new StringMatch(null, null, present);
            }
        }
        throw new RuleException(path, "expected a value, a list of values, {regex: \"...\"} or {present: true|false}");
    }

    static NumberRange range(Object value, String path) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new RuleException(path, "expected bounds such as {gt: 8000} (keys: gt, gte, lt, lte)");
        }
        Double[] bounds = new Double[4];
        List<String> keys = List.of("gt", "gte", "lt", "lte");
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            int i = keys.indexOf(String.valueOf(entry.getKey()));
            if (i < 0) {
                throw new RuleException(path + "." + entry.getKey(), "unknown bound (expected one of: gt, gte, lt, lte)");
            }
            if (!(entry.getValue() instanceof Number n)) {
                throw new RuleException(path + "." + entry.getKey(), "'" + entry.getValue() + "' (expected: a number)");
            }
            bounds[i] = n.doubleValue();
        }
        return new NumberRange(bounds[0], bounds[1], bounds[2], bounds[3]);
    }

    private static boolean flag(Object value, String path) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new RuleException(path, "'" + value + "' (expected: true or false)");
    }

    /** {keywords: [...]} matched as whole words, and/or {regex: ...}; case-insensitive unless case_sensitive: true. */
    private static TextMatch text(Object value, String path) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new RuleException(path, "expected {keywords: [...]} and/or {regex: \"...\"}");
        }
        for (Object key : map.keySet()) {
            if (!List.of("keywords", "regex", "case_sensitive").contains(String.valueOf(key))) {
                throw new RuleException(path + "." + key, "unknown field (expected one of: keywords, regex, case_sensitive)");
            }
        }
        boolean caseSensitive = Boolean.TRUE.equals(map.get("case_sensitive"));
        List<String> described = new ArrayList<>();
        String[] keywords = new String[0];
        Object words = map.get("keywords");
        if (words != null) {
            if (!(words instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(w -> w instanceof String s && !s.isBlank())) {
                throw new RuleException(path + ".keywords", "expected a non-empty list of words or phrases");
            }
            keywords = list.stream().map(w -> ((String) w).strip()).map(w -> caseSensitive ? w : Matchers.fold(w))
                    .toArray(String[]::new);
            described.add("keywords " + list);
        }
        Pattern regex = null;
        Object expression = map.get("regex");
        if (expression != null) {
            if (!(expression instanceof String r) || r.isEmpty()) {
                throw new RuleException(path + ".regex", "expected a regular expression");
            }
            regex = pattern(r, path + ".regex", caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            described.add("/" + r + "/");
        }
        if (keywords.length == 0 && regex == null) {
            throw new RuleException(path, "expected keywords or regex");
        }
        List<String> literals = regex == null ? null : TextMatch.requiredLiterals((String) expression);
        if (literals != null && !caseSensitive) {
            literals = literals.stream().map(Matchers::fold).toList();
        }
        return new TextMatch(keywords, caseSensitive, regex, literals, String.join(" or ", described));
    }

    private Condition cost(Object value, String path) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("on") instanceof String on)) {
            throw new RuleException(path, "expected {on: <model id>, gt: <usd>} (the model whose prices to estimate with)");
        }
        ModelConfig model = models.get(on);
        if (model == null) {
            throw new RuleException(path + ".on", "unknown model '" + on + "' (expected: a model of models.yaml)");
        }
        Map<Object, Object> bounds = new LinkedHashMap<>(map);
        bounds.remove("on");
        return new Conditions.CostCondition(model, range(bounds, path));
    }

    /** {above: X} with X in [0, 1), or {target_share: S} with S in (0, 1). */
    private Condition difficulty(Object value, String path) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            throw new RuleException(path, "expected {above: <score from 0 to 1>} or {target_share: <share from 0 to 1>}");
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        String key = String.valueOf(entry.getKey());
        if (!key.equals("above") && !key.equals("target_share")) {
            throw new RuleException(path + "." + key, "unknown field (expected one of: above, target_share)");
        }
        if (!(entry.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new RuleException(path + "." + key, "'" + entry.getValue() + "' (expected: a number)");
        }
        double x = n.doubleValue();
        if (key.equals("above")) {
            if (!(x >= 0 && x < 1)) {
                throw new RuleException(path + ".above", Matchers.format(x) + " (expected: >= 0 and < 1, a score)");
            }
            return new DifficultyCondition.Above(difficulty, x);
        }
        if (!(x > 0 && x < 1)) {
            throw new RuleException(path + ".target_share", Matchers.format(x) + " (expected: > 0 and < 1, a share of requests)");
        }
        return new DifficultyCondition.TargetShare(difficulty,
                ShareTracker.of(x, DifficultyCondition.TargetShare.WINDOW));
    }

    private static Pattern pattern(String regex, String path, int flags) {
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new RuleException(path, "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

}
