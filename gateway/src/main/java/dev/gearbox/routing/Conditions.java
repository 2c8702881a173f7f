package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.CostEstimator;
import dev.gearbox.routing.Matchers.NumberRange;
import dev.gearbox.routing.Matchers.StringMatch;
import dev.gearbox.routing.Matchers.TextMatch;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/** The conditions a route's {@code when} can hold. */
final class Conditions {

    private Conditions() {
    }

    /**
     * A string feature of the request tested by a {@link StringMatch}.
     *
     * @param model whether the feature is the requested model
     */
    record StringCondition(String name, Function<RequestFeatures, String> feature, StringMatch match, boolean model)
            implements Condition {

        @Override
        public boolean test(RequestFeatures request) {
            return match.test(feature.apply(request));
        }

        @Override
        public String describe() {
            return name + " " + match.describe();
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return name + " is " + Matchers.quote(feature.apply(request)) + ", not " + match.describe();
        }

        @Override
        public boolean mentionsModel() {
            return model;
        }
    }

    /** A number feature of the request tested by a {@link NumberRange}. */
    static final class NumberCondition implements Condition {
        private final String name;
        private final Function<RequestFeatures, Number> feature;
        private final NumberRange range;

        NumberCondition(String name, Function<RequestFeatures, Number> feature, NumberRange range) {
            this.name = name;
            this.feature = feature;
            this.range = range;
        }

        static NumberCondition ofInt(String name, ToIntFunction<RequestFeatures> feature, NumberRange range) {
            return new NumberCondition(name, r -> feature.applyAsInt(r), range);
        }

        @Override
        public boolean test(RequestFeatures request) {
            return range.test(feature.apply(request));
        }

        @Override
        public String describe() {
            return name + " " + range.describe();
        }

        @Override
        public String whyNot(RequestFeatures request) {
            Number value = feature.apply(request);
            return name + " is " + (value == null ? "absent" : Matchers.format(value.doubleValue())) + ", not " + range.describe();
        }
    }

    /** Prompt tokens against bounds, counted with the tokenizer only when the cheap upper bound cannot decide. */
    static final class PromptTokensCondition implements Condition {
        private final NumberRange range;

        PromptTokensCondition(NumberRange range) {
            this.range = range;
        }

        @Override
        public boolean test(RequestFeatures request) {
            // With only lower bounds, a prompt whose upper bound misses them cannot match, whatever its exact count.
            if (range.lt() == null && range.lte() == null) {
                long upper = request.promptTokensUpperBound();
                if ((range.gt() != null && upper <= range.gt()) || (range.gte() != null && upper < range.gte())) {
                    return false;
                }
            }
            return range.test(request.promptTokens());
        }

        @Override
        public String describe() {
            return "prompt_tokens " + range.describe();
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return "prompt_tokens is " + request.promptTokens() + ", not " + range.describe();
        }
    }

    /** A yes/no feature of the request. */
    static final class FlagCondition implements Condition {
        private final String name;
        private final Predicate<RequestFeatures> feature;
        private final boolean expected;

        FlagCondition(String name, Predicate<RequestFeatures> feature, boolean expected) {
            this.name = name;
            this.feature = feature;
            this.expected = expected;
        }

        @Override
        public boolean test(RequestFeatures request) {
            return feature.test(request) == expected;
        }

        @Override
        public String describe() {
            return name + " = " + expected;
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return name + " is " + !expected;
        }
    }

    /**
     * Free text of the request tested by a {@link TextMatch}.
     *
     * @param feature the text as sent
     * @param folded the same text {@link Matchers#fold folded}, as {@link RequestFeatures} caches it
     */
    record TextCondition(String name, Function<RequestFeatures, String> feature, Function<RequestFeatures, String> folded,
                         TextMatch match) implements Condition {

        @Override
        public boolean test(RequestFeatures request) {
            return match.test(feature.apply(request), match.caseSensitive() ? null : folded.apply(request));
        }

        @Override
        public String describe() {
            return name + " matches " + match.describe();
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return name + " " + Matchers.quote(feature.apply(request)) + " does not match " + match.describe();
        }
    }

    /** The estimated cost of the request on a given model. */
    static final class CostCondition implements Condition {
        private final ModelConfig model;
        private final NumberRange range;

        CostCondition(ModelConfig model, NumberRange range) {
            this.model = model;
            this.range = range;
        }

        private double estimate(RequestFeatures request) {
            return CostEstimator.estimate(model, request.promptTokens(), request.maxTokens());
        }

        @Override
        public boolean test(RequestFeatures request) {
            return range.test(estimate(request));
        }

        @Override
        public String describe() {
            return "estimated_cost_usd on " + model.id() + " " + range.describe();
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return "estimated cost on " + model.id() + " is $" + String.format("%.6f", estimate(request)) + ", not " + range.describe();
        }
    }

    /** All of several conditions. */
    static final class All implements Condition {
        private final Condition[] parts;

        All(List<Condition> parts) {
            this.parts = parts.toArray(new Condition[0]);
        }

        List<Condition> parts() {
            return List.of(parts);
        }

        @Override
        public boolean test(RequestFeatures request) {
            for (Condition part : parts) {
                if (!part.test(request)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String describe() {
            return parts.length == 1 ? parts[0].describe()
                    : "all(" + java.util.Arrays.stream(parts).map(Condition::describe).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public String whyNot(RequestFeatures request) {
            for (Condition part : parts) {
                if (!part.test(request)) {
                    return part.whyNot(request);
                }
            }
            return "all of them hold";
        }

        @Override
        public boolean mentionsModel() {
            return java.util.Arrays.stream(parts).anyMatch(Condition::mentionsModel);
        }
    }

    /** Any of several conditions. */
    static final class Any implements Condition {
        private final Condition[] parts;

        Any(List<Condition> parts) {
            this.parts = parts.toArray(new Condition[0]);
        }

        List<Condition> parts() {
            return List.of(parts);
        }

        @Override
        public boolean test(RequestFeatures request) {
            for (Condition part : parts) {
                if (part.test(request)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "any(" + java.util.Arrays.stream(parts).map(Condition::describe).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return "none of: " + java.util.Arrays.stream(parts).map(p -> p.whyNot(request)).collect(Collectors.joining("; "));
        }

        @Override
        public boolean mentionsModel() {
            return java.util.Arrays.stream(parts).anyMatch(Condition::mentionsModel);
        }
    }

    /** The negation of a condition. */
    static final class Not implements Condition {
        private final Condition part;

        Not(Condition part) {
            this.part = part;
        }

        @Override
        public boolean test(RequestFeatures request) {
            return !part.test(request);
        }

        @Override
        public String describe() {
            return "not(" + part.describe() + ")";
        }

        @Override
        public String whyNot(RequestFeatures request) {
            return part.describe() + " holds";
        }

        @Override
        public boolean mentionsModel() {
            return part.mentionsModel();
        }
    }

    /** Several header conditions, all of which must hold. */
    static Condition headers(Map<String, StringMatch> matches) {
        List<Condition> parts = matches.entrySet().stream()
                .<Condition>map(e -> new StringCondition("header " + e.getKey(), r -> r.header(e.getKey()), e.getValue(), false))
                .toList();
        return parts.size() == 1 ? parts.get(0) : new All(parts);
    }
}
